import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualScheduler } from '../../src/common/index.ts';
import { startTestBroker, type TestBroker } from './helpers.ts';
import { RawClient } from './raw-client.ts';

let tb: TestBroker;
// Broker time and timers on a manual scheduler: expiry is tested by moving time, not by sleeping.
const clock = new ManualScheduler(1_000_000);
const raws: RawClient[] = [];
const open = async (level: 3 | 4 | 5 = 5) => {
  const c = await RawClient.open(tb.port, level);
  raws.push(c);
  return c;
};
beforeAll(async () => {
  tb = await startTestBroker({ scheduler: clock, sysIntervalMs: 50 });
});
afterAll(async () => {
  raws.forEach((r) => r.end());
  await tb.close();
});

describe('sessions', () => {
  it('expires a 5.0 session after its Session Expiry Interval', async () => {
    const a = await open();
    await a.connect('exp1', { properties: { sessionExpiryInterval: 1 } });
    a.send({ type: 'disconnect', reasonCode: 0 });
    await a.waitClosed();
    const b = await open();
    expect((await b.connect('exp1', { clean: false, properties: { sessionExpiryInterval: 1 } })).sessionPresent).toBe(
      true,
    );
    b.send({ type: 'disconnect', reasonCode: 0 });
    await b.waitClosed();
    clock.advance(900);
    const still = await open();
    expect(
      (await still.connect('exp1', { clean: false, properties: { sessionExpiryInterval: 1 } })).sessionPresent,
    ).toBe(true);
    still.send({ type: 'disconnect', reasonCode: 0 });
    await still.waitClosed();
    clock.advance(1001);
    const c = await open();
    expect((await c.connect('exp1', { clean: false })).sessionPresent).toBe(false);
  });

  it('applies the DISCONNECT Session Expiry Interval, and refuses it after CONNECT had 0', async () => {
    const a = await open();
    await a.connect('exp2', { properties: { sessionExpiryInterval: 100 } });
    a.send({ type: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 0 } });
    await a.waitClosed();
    const b = await open();
    expect((await b.connect('exp2', { clean: false })).sessionPresent).toBe(false);
    b.send({ type: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 50 } });
    expect((await b.expect('disconnect')).reasonCode).toBe(0x82);
  });

  it('keeps a 3.1.1 clean=0 session and resends unacknowledged QoS 1 with DUP', async () => {
    const s = await open(4);
    await s.connect('dup4', { clean: false });
    s.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'dup/t', qos: 1 }] });
    await s.expect('suback');
    const p = await open(4);
    await p.connect('dup4-pub');
    p.send({
      type: 'publish',
      topic: 'dup/t',
      payload: Buffer.from('m'),
      qos: 1,
      retain: false,
      dup: false,
      packetId: 7,
    });
    const first = await s.expect('publish');
    expect(first.dup).toBe(false);
    s.end(); // no PUBACK
    await s.waitClosed();
    const s2 = await open(4);
    expect((await s2.connect('dup4', { clean: false })).sessionPresent).toBe(true);
    const again = await s2.expect('publish');
    expect([again.dup, again.packetId, again.payload.toString()]).toEqual([true, first.packetId, 'm']);
  });

  it('drops queued messages whose expiry passed while the client was away (3.3.2-5)', async () => {
    const s = await open();
    await s.connect('mexp', { properties: { sessionExpiryInterval: 100 } });
    s.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'mexp/#', qos: 1 }] });
    await s.expect('suback');
    s.send({ type: 'disconnect', reasonCode: 0 });
    await s.waitClosed();
    const p = await open();
    await p.connect('mexp-pub');
    p.send({
      type: 'publish',
      topic: 'mexp/short',
      payload: Buffer.from('s'),
      qos: 1,
      retain: false,
      dup: false,
      packetId: 1,
      properties: { messageExpiryInterval: 5 },
    });
    p.send({
      type: 'publish',
      topic: 'mexp/long',
      payload: Buffer.from('l'),
      qos: 1,
      retain: false,
      dup: false,
      packetId: 2,
      properties: { messageExpiryInterval: 60 },
    });
    await p.expect('puback');
    await p.expect('puback');
    clock.advance(10_000);
    const s2 = await open();
    await s2.connect('mexp', { clean: false, properties: { sessionExpiryInterval: 100 } });
    const m = await s2.expect('publish');
    expect([m.topic, m.properties?.messageExpiryInterval]).toEqual(['mexp/long', 50]);
    await s2.barrier();
    expect(s2.publishes()).toEqual([]);
  });

  it('publishes $SYS statistics as retained messages', async () => {
    const c = await open();
    await c.connect('sys');
    clock.advance(50); // the next $SYS period: the retained count now includes this client
    c.send({
      type: 'subscribe',
      packetId: 1,
      subscriptions: [{ topicFilter: '$SYS/broker/clients/connected', qos: 0 }],
    });
    await c.expect('suback');
    const m = await c.expect('publish');
    expect(Number(m.payload.toString())).toBeGreaterThanOrEqual(1);
  });

  it('serves MQTT 3.1 (level 3) clients', async () => {
    const c = await open(3);
    expect((await c.connect('v31')).reasonCode).toBe(0);
    c.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'v31/t', qos: 1 }] });
    await c.expect('suback');
    c.send({
      type: 'publish',
      topic: 'v31/t',
      payload: Buffer.from('x'),
      qos: 1,
      retain: false,
      dup: false,
      packetId: 3,
    });
    await c.expect('puback');
    expect((await c.expect('publish')).payload.toString()).toBe('x');
  });
});
