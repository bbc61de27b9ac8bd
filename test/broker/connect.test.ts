import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Broker, MemoryLogger } from '../../src/broker/index.ts';
import { hexToBuffer } from '../../src/codec/index.ts';
import { ManualScheduler } from '../../src/common/index.ts';
import { startTestBroker, type TestBroker } from './helpers.ts';
import { RawClient } from './raw-client.ts';

let tb: TestBroker;
/** The broker's timers (CONNECT deadline, keep alive) run on this: time moves only in advance(). */
const scheduler = new ManualScheduler(1_000);
const logger = new MemoryLogger();
const raws: RawClient[] = [];
const open = async (level: 3 | 4 | 5 = 5, t = tb) => {
  const c = await RawClient.open(t.port, level);
  raws.push(c);
  return c;
};
beforeAll(async () => {
  tb = await startTestBroker({
    scheduler,
    logger,
    capabilities: { topicAliasMaximum: 5, receiveMaximum: 2, maximumQoS: 1 },
    limits: { connectTimeoutMs: 300 },
  });
});
afterAll(async () => {
  raws.forEach((r) => r.end());
  await tb.close();
});

describe('CONNECT', () => {
  it('closes when the first packet is not CONNECT (3.1.0-1)', async () => {
    const c = await open(4);
    c.send({ type: 'pingreq' });
    await c.waitClosed();
    expect(logger.records.some((r) => String(r.fields?.statement).startsWith('MQTT-3.1.0-1'))).toBe(true);
  });

  it('treats a second CONNECT as a protocol error (3.1.0-2)', async () => {
    const c = await open(5);
    await c.connect('twice');
    c.send({ type: 'connect', protocolName: 'MQTT', protocolLevel: 5, clean: true, keepAlive: 0, clientId: 'twice' });
    expect((await c.expect('disconnect')).reasonCode).toBe(0x82);
    await c.waitClosed();
  });

  it('answers an unsupported protocol level with a 3.1.1-form CONNACK 0x01', async () => {
    const c = await open(4);
    // CONNECT "MQTT" level 6
    c.sendRaw(hexToBuffer('10 0d 00 04 4d 51 54 54 06 02 00 3c 00 01 61'));
    expect((await c.expect('connack')).reasonCode).toBe(0x01);
    await c.waitClosed();
    const d = await open(4);
    d.sendRaw(hexToBuffer('10 0d 00 04 4d 51 54 54 02 02 00 3c 00 01 61'));
    expect((await d.expect('connack')).reasonCode).toBe(0x01);
    await d.waitClosed();
  });

  it('rejects an empty client id without clean session at 3.1.1 (3.1.3-8) and assigns one at 5.0', async () => {
    const c = await open(4);
    expect((await c.connect('', { clean: false })).reasonCode).toBe(0x02);
    await c.waitClosed();
    const d = await open(5);
    const ack = await d.connect('');
    expect(ack.reasonCode).toBe(0);
    expect(ack.properties?.assignedClientIdentifier).toMatch(/^auto-/);
    expect(ack.properties?.topicAliasMaximum).toBe(5);
    expect(ack.properties?.receiveMaximum).toBe(2);
    expect(ack.properties?.maximumQoS).toBe(1);
  });

  it('refuses a will QoS above the maximum QoS with 0x9B (5.0)', async () => {
    const c = await open(5);
    const ack = await c.connect('willqos', { will: { topic: 'w', payload: Buffer.from('x'), qos: 2, retain: false } });
    expect(ack.reasonCode).toBe(0x9b);
    await c.waitClosed();
  });

  it('takes over a session: the old connection gets DISCONNECT 0x8E', async () => {
    const a = await open(5);
    await a.connect('same');
    const b = await open(5);
    await b.connect('same');
    expect((await a.expect('disconnect')).reasonCode).toBe(0x8e);
    await a.waitClosed();
    expect(b.closed).toBe(false);
  });

  it('takes over at 3.1.1 by closing the old connection (3.1.4-2), which publishes its will', async () => {
    const obs = await open(4);
    await obs.connect('takeover-observer');
    obs.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'tw/#', qos: 0 }] });
    await obs.expect('suback');
    const a = await open(4);
    await a.connect('same4', { will: { topic: 'tw/a', payload: Buffer.from('taken'), qos: 0, retain: false } });
    const b = await open(4);
    await b.connect('same4');
    await a.waitClosed();
    expect(b.closed).toBe(false);
    expect((await obs.expect('publish')).payload.toString()).toBe('taken');
  });

  it('closes sockets that never send CONNECT', async () => {
    const c = await open(5);
    c.sendRaw(Buffer.from([0x10])); // one byte of a CONNECT: the broker has seen the socket
    await new Promise((r) => setTimeout(r, 20));
    scheduler.advance(200);
    expect(c.closed).toBe(false);
    scheduler.advance(300); // past connectTimeoutMs (300) and the next sweep
    await c.waitClosed(3000);
  });

  it('enforces keep alive at 1.5x with DISCONNECT 0x8D (5.0)', async () => {
    const c = await open(5);
    await c.connect('ka', { keepAlive: 1 });
    scheduler.advance(1400); // within 1.5 x Keep Alive: still connected
    await c.barrier(); // (a PINGREQ resets the keep-alive timer too)
    expect(c.received.filter((x) => x.type === 'disconnect')).toEqual([]);
    scheduler.advance(1499);
    await new Promise((r) => setTimeout(r, 20));
    expect(c.received.filter((x) => x.type === 'disconnect')).toEqual([]);
    scheduler.advance(251); // 1.5 s after the PINGREQ, plus one sweep period
    expect((await c.expect('disconnect', 3000)).reasonCode).toBe(0x8d);
  });

  it('answers malformed packets with DISCONNECT 0x81 and keeps other clients working', async () => {
    const other = await open(5);
    await other.connect('bystander');
    const c = await open(5);
    await c.connect('malformed');
    c.sendRaw(hexToBuffer('82 02 00 01')); // SUBSCRIBE with no payload
    const d = await c.expect('disconnect');
    expect([0x81, 0x82]).toContain(d.reasonCode);
    await c.waitClosed();
    other.send({ type: 'pingreq' });
    await other.expect('pingresp');
  });

  it('replies 0x8B to everyone on close()', async () => {
    const t = await startTestBroker();
    const c = await open(5, t);
    await c.connect('bye');
    await t.close();
    expect((await c.expect('disconnect')).reasonCode).toBe(0x8b);
  });

  it('constructs with defaults and closes idempotently', async () => {
    const b = new Broker();
    await b.ready;
    expect(b.stats.clientsConnected).toBe(0);
    await Promise.all([b.close(), b.close()]);
  });
});
