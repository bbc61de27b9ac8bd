/**
 * Broker.close() publishes the wills of clients that did not DISCONNECT normally
 * (3.1.1 / 5.0 MQTT-3.1.2-8): live subscribers get them before their DISCONNECT, persistent
 * sessions keep them across a restart on file persistence. A will still waiting out its 5.0
 * Will Delay in a persistent session survives the restart on file persistence.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FilePersistence, MemoryPersistence, type Authorizer } from '../../src/broker/index.ts';
import type { Packet } from '../../src/codec/index.ts';
import { ManualScheduler, systemClock } from '../../src/common/index.ts';
import { startTestBroker, until, type TestBroker } from './helpers.ts';
import { RawClient } from './raw-client.ts';

const brokers: TestBroker[] = [];
const raws: RawClient[] = [];
const dirs: string[] = [];
afterAll(async () => {
  raws.forEach((r) => r.end());
  await Promise.all(brokers.map((b) => b.close()));
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

const freshDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'mqtt-harness-will-shutdown-'));
  dirs.push(d);
  return d;
};
const start = async (opts: Parameters<typeof startTestBroker>[0] = {}) => {
  const tb = await startTestBroker(opts);
  brokers.push(tb);
  return tb;
};
const open = async (tb: TestBroker, level: 4 | 5) => {
  const c = await RawClient.open(tb.port, level);
  raws.push(c);
  return c;
};
const subscribe = async (c: RawClient, filter: string, qos: 0 | 1 | 2 = 1) => {
  c.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: filter, qos }] });
  await c.expect('suback');
};
/** Close the broker, wait until these clients saw their connection end, then stop the listener. */
const shutdown = async (tb: TestBroker, ...clients: RawClient[]) => {
  await tb.broker.close();
  await Promise.all(clients.map((c) => c.waitClosed()));
  await tb.close();
};
const publishes = (c: RawClient) =>
  c.received.filter((p): p is Extract<Packet, { type: 'publish' }> => p.type === 'publish');

describe('wills at broker shutdown', () => {
  it('3.1.1: a live will reaches a live persistent subscriber before the close, and again after a restart until acknowledged', async () => {
    const dir = freshDir();
    const tb = await start({ persistence: new FilePersistence(dir) });
    const s = await open(tb, 4);
    await s.connect('ws-sub-311', { clean: false });
    await subscribe(s, 'ws311/#');
    const w = await open(tb, 4);
    await w.connect('ws-will-311', {
      will: { topic: 'ws311/w', payload: Buffer.from('gone-311'), qos: 1, retain: false },
    });

    await shutdown(tb, s, w);
    const live = publishes(s);
    expect(live.map((p) => [p.topic, p.payload.toString(), p.qos])).toEqual([['ws311/w', 'gone-311', 1]]);

    // The subscriber never sent PUBACK: the delivery was persisted and comes back after a restart.
    const tb2 = await start({ persistence: new FilePersistence(dir) });
    const s2 = await open(tb2, 4);
    expect((await s2.connect('ws-sub-311', { clean: false })).sessionPresent).toBe(true);
    const again = await s2.expect('publish');
    expect([again.topic, again.payload.toString(), again.dup]).toEqual(['ws311/w', 'gone-311', true]);
    s2.send({ type: 'puback', packetId: again.packetId! });
    await tb2.close();
  });

  it('5.0: a will queued for an offline persistent session survives a restart on file persistence', async () => {
    const dir = freshDir();
    const tb = await start({ persistence: new FilePersistence(dir) });
    const s = await open(tb, 5);
    await s.connect('ws-off-5', { clean: true, properties: { sessionExpiryInterval: 600 } });
    await subscribe(s, 'ws5off/#');
    s.send({ type: 'disconnect', reasonCode: 0 });
    await s.waitClosed();
    const w = await open(tb, 5);
    await w.connect('ws-will-5off', {
      will: { topic: 'ws5off/w', payload: Buffer.from('queued'), qos: 1, retain: false },
    });

    await shutdown(tb, w);
    const d = await w.expect('disconnect');
    expect(d.reasonCode).toBe(0x8b);

    const tb2 = await start({ persistence: new FilePersistence(dir) });
    const s2 = await open(tb2, 5);
    expect(
      (await s2.connect('ws-off-5', { clean: false, properties: { sessionExpiryInterval: 600 } })).sessionPresent,
    ).toBe(true);
    const m = await s2.expect('publish');
    expect([m.topic, m.payload.toString(), m.qos]).toEqual(['ws5off/w', 'queued', 1]);
    await tb2.close();
  });

  it('5.0: on file persistence a delayed will survives the restart and goes out when due, with its properties and retain flag', async () => {
    const dir = freshDir();
    const tb = await start({ persistence: new FilePersistence(dir) });
    const s = await open(tb, 5);
    await s.connect('ws-sub-5', { properties: { sessionExpiryInterval: 600 } });
    await subscribe(s, 'ws5/#');
    const w = await open(tb, 5);
    const userProperties: [string, string][] = [
      ['k', '1'],
      ['k', '2'],
    ];
    await w.connect('ws-will-5', {
      properties: { sessionExpiryInterval: 600 },
      will: {
        topic: 'ws5/w',
        payload: Buffer.from('bye-5'),
        qos: 1,
        retain: true,
        properties: { willDelayInterval: 60, contentType: 'text/plain', userProperties },
      },
    });

    await shutdown(tb, s, w);
    expect(publishes(s)).toEqual([]); // the delay is not over: the will waits, recorded with w's session
    expect((await s.expect('disconnect')).reasonCode).toBe(0x8b);

    // After the restart (time on a manual scheduler from now on) it is still pending ...
    const scheduler = new ManualScheduler(systemClock.now());
    const tb2 = await start({ persistence: new FilePersistence(dir), scheduler });
    const f = await open(tb2, 5);
    await f.connect('ws-fresh-5');
    await subscribe(f, 'ws5/w', 1);
    await f.barrier();
    expect(publishes(f)).toEqual([]);
    // ... and goes out when its delay has passed.
    scheduler.advance(60_000);
    const m = await f.expect('publish');
    expect([m.topic, m.payload.toString(), m.qos]).toEqual(['ws5/w', 'bye-5', 1]);
    expect(m.properties?.contentType).toBe('text/plain');
    expect(m.properties?.userProperties).toEqual(userProperties); // 5.0 MQTT-3.1.3-10: order kept
    // Retain 1: it became the retained message.
    const g = await open(tb2, 5);
    await g.connect('ws-late-5');
    await subscribe(g, 'ws5/w', 0);
    const r = await g.expect('publish');
    expect([r.topic, r.payload.toString(), r.retain]).toEqual(['ws5/w', 'bye-5', true]);
    // Once published it is gone from the record: a second restart does not publish it again.
    await shutdown(tb2, f, g);
    const tb3 = await start({
      persistence: new FilePersistence(dir),
      scheduler: new ManualScheduler(systemClock.now() + 120_000),
    });
    const h = await open(tb3, 5);
    await h.connect('ws-sub-5', { clean: false, properties: { sessionExpiryInterval: 600 } });
    const queued = await h.expect('publish'); // the copy queued for the offline subscriber session
    expect(queued.payload.toString()).toBe('bye-5');
    h.send({ type: 'puback', packetId: queued.packetId! });
    await h.barrier();
    expect(publishes(h)).toEqual([]);
    await tb3.close();
  });

  it('publishes the will of a disconnected session still waiting out its Will Delay', async () => {
    const tb = await start({ persistence: new MemoryPersistence() });
    const s = await open(tb, 5);
    await s.connect('ws-sub-delay');
    await subscribe(s, 'wsdelay/#', 0);
    const w = await open(tb, 5);
    await w.connect('ws-will-delay', {
      properties: { sessionExpiryInterval: 600 },
      will: {
        topic: 'wsdelay/w',
        payload: Buffer.from('late'),
        qos: 0,
        retain: false,
        properties: { willDelayInterval: 3600 },
      },
    });
    w.end(); // abnormal close: the will now waits for its delay
    await w.waitClosed();
    await until(() => tb.broker.stats.clientsConnected === 1, 'the broker to see the will client go');
    await s.barrier();
    expect(publishes(s)).toEqual([]);

    await shutdown(tb, s);
    expect(publishes(s).map((p) => [p.topic, p.payload.toString()])).toEqual([['wsdelay/w', 'late']]);
  });

  for (const level of [4, 5] as const) {
    it(`level ${level}: a client that sent DISCONNECT before the close causes no will; one that did not does`, async () => {
      const tb = await start();
      const s = await open(tb, level);
      await s.connect(`ws-sub-d${level}`);
      await subscribe(s, `wsd${level}/#`);
      const gone = await open(tb, level);
      await gone.connect(`ws-gone-${level}`, {
        will: { topic: `wsd${level}/gone`, payload: Buffer.from('x'), qos: 1, retain: false },
      });
      gone.send(level === 5 ? { type: 'disconnect', reasonCode: 0 } : { type: 'disconnect' });
      await gone.waitClosed();
      const live = await open(tb, level);
      await live.connect(`ws-live-${level}`, {
        will: { topic: `wsd${level}/live`, payload: Buffer.from('y'), qos: 0, retain: false },
      });
      const none = await open(tb, level);
      await none.connect(`ws-none-${level}`);

      await shutdown(tb, s, live, none);
      expect(publishes(s).map((p) => p.topic)).toEqual([`wsd${level}/live`]);
    });
  }

  it('does not publish a will the client is not authorized to write', async () => {
    const authorizer: Authorizer = { authorize: (_c, action, t) => action === 'read' || !t.startsWith('wsacl/denied') };
    const tb = await start({ authorizer });
    const s = await open(tb, 5);
    await s.connect('ws-acl-sub');
    await subscribe(s, 'wsacl/#');
    const a = await open(tb, 5);
    await a.connect('ws-acl-a', { will: { topic: 'wsacl/denied', payload: Buffer.from('no'), qos: 1, retain: false } });
    const b = await open(tb, 5);
    await b.connect('ws-acl-b', { will: { topic: 'wsacl/ok', payload: Buffer.from('yes'), qos: 1, retain: false } });

    await shutdown(tb, s, a, b);
    expect(publishes(s).map((p) => p.topic)).toEqual(['wsacl/ok']);
  });

  it('does not publish an unauthorized will on an ordinary abnormal disconnect either', async () => {
    const authorizer: Authorizer = {
      authorize: (_c, action, t) => action === 'read' || !t.startsWith('wsacl2/denied'),
    };
    const tb = await start({ authorizer });
    const s = await open(tb, 4);
    await s.connect('ws-acl2-sub');
    await subscribe(s, 'wsacl2/#');
    const a = await open(tb, 4);
    await a.connect('ws-acl2-a', {
      will: { topic: 'wsacl2/denied', payload: Buffer.from('no'), qos: 1, retain: false },
    });
    const b = await open(tb, 4);
    await b.connect('ws-acl2-b', { will: { topic: 'wsacl2/ok', payload: Buffer.from('yes'), qos: 1, retain: false } });
    const connected = tb.broker.stats.clientsConnected;
    a.socket.destroy(); // no DISCONNECT: the will would be due
    const deadline = Date.now() + 3000;
    while (tb.broker.stats.clientsConnected === connected && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    expect(tb.broker.stats.clientsConnected).toBe(connected - 1);
    b.socket.destroy(); // handled after a's cleanup, so a's will (if any) would arrive first
    const first = await s.expect('publish'); // expect() takes the first PUBLISH out of `received`
    expect(first.topic).toBe('wsacl2/ok');
    expect(publishes(s)).toEqual([]);
  });
});
