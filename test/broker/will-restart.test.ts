/**
 * A will waiting out its 5.0 Will Delay Interval is part of the session's persisted state: after
 * a crash (no shutdown) a broker started on the same state publishes it when due, or at once when
 * the session expired while the broker was down. Sans-IO: cores on RecordingSinks, manual time.
 */
import { describe, expect, it } from 'vitest';
import { Broker, MemoryPersistence, RecordingSink, handle, type ConnCore } from '../../src/broker/index.ts';
import { PacketReader, type Packet } from '../../src/codec/index.ts';
import { ManualScheduler } from '../../src/common/index.ts';

const T0 = 1_000_000;

async function brokerAt(p: MemoryPersistence, t: number) {
  const scheduler = new ManualScheduler(t);
  const broker = new Broker({ persistence: p, scheduler });
  await broker.ready;
  const connect = (clientId: string, extra: Partial<Extract<Packet, { type: 'connect' }>> = {}) => {
    const sink = new RecordingSink(broker.effects);
    const core = broker.attach(sink, { transport: 'test' });
    handle(
      core,
      {
        kind: 'packet',
        packet: {
          type: 'connect',
          protocolName: 'MQTT',
          protocolLevel: 5,
          clean: false,
          keepAlive: 0,
          clientId,
          properties: { sessionExpiryInterval: 600 },
          ...extra,
        },
      },
      scheduler.now(),
    );
    const reader = new PacketReader({ protocolLevel: 5, from: 'server' });
    const publishes = () =>
      sink
        .take()
        .flatMap((a) => (a.kind === 'send' ? reader.push(a.bytes) : []))
        .flatMap((r) => (r.ok && r.packet.type === 'publish' ? [r.packet] : []));
    return { core, publishes };
  };
  const send = (core: ConnCore, packet: Packet) => handle(core, { kind: 'packet', packet }, scheduler.now());
  return { broker, scheduler, connect, send };
}

async function crashWithPendingWill(): Promise<MemoryPersistence> {
  const p = new MemoryPersistence();
  const a = await brokerAt(p, T0);
  // The will client's session is stored (and so restored) before the subscriber's.
  const w = a.connect('wr-will', {
    will: { topic: 'wr/w', payload: Buffer.from('late'), qos: 1, retain: false, properties: { willDelayInterval: 60 } },
  });
  const sub = a.connect('wr-sub', { properties: { sessionExpiryInterval: 3600 } });
  a.send(sub.core, { type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'wr/#', qos: 1 }] });
  handle(sub.core, { kind: 'closed' }, a.scheduler.now()); // both transports drop: the will now waits 60 s
  handle(w.core, { kind: 'closed' }, a.scheduler.now());
  a.scheduler.advance(10_000);
  expect(sub.publishes()).toEqual([]);
  return p; // the broker "crashes": never closed, its timers never run again
}

describe('delayed wills across a restart', () => {
  it('are published when due after the restart, and only once', async () => {
    const p = await crashWithPendingWill();
    const b = await brokerAt(p, T0 + 30_000);
    const sub = b.connect('wr-sub');
    b.scheduler.advance(29_000);
    expect(sub.publishes()).toEqual([]);
    b.scheduler.advance(1_000);
    const got = sub.publishes();
    expect(got.map((m) => [m.topic, m.payload.toString()])).toEqual([['wr/w', 'late']]);
    b.send(sub.core, { type: 'puback', packetId: got[0].packetId! });
    const c = await brokerAt(p, T0 + 100_000); // after another crash: not published again
    const sub2 = c.connect('wr-sub');
    c.scheduler.advance(120_000);
    expect(sub2.publishes()).toEqual([]);
  });

  it('are published at start when the session expired while the broker was down, reaching the restored sessions', async () => {
    const p = await crashWithPendingWill();
    const b = await brokerAt(p, T0 + 700_000); // past the will client's 600 s Session Expiry, within the subscriber's 3600 s
    expect(b.broker.sessionCount).toBe(1); // the will client's session ended at start, the subscriber's is back
    const sub = b.connect('wr-sub', { properties: { sessionExpiryInterval: 3600 } });
    expect(sub.publishes().map((m) => [m.topic, m.payload.toString()])).toEqual([['wr/w', 'late']]); // queued for it at start
  });

  it('a reconnect before the delay cancels it for good', async () => {
    const p = await crashWithPendingWill();
    const b = await brokerAt(p, T0 + 20_000);
    const sub = b.connect('wr-sub');
    b.connect('wr-will');
    b.scheduler.advance(120_000);
    expect(sub.publishes()).toEqual([]);
  });
});
