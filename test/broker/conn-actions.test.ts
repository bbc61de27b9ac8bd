/**
 * Every action of the connection core, as a sans-IO test sees it: `handle(core, event, now)` on
 * a manual clock, then the RecordingSink's list of send / close / route / persist / arm-timer /
 * session-closed actions. No sockets, no sleeps; the only wait is one process.nextTick, the end
 * of the turn that batches durable acknowledgements (durable-acks.ts).
 */
import { describe, expect, it } from 'vitest';
import { Broker, MemoryPersistence, RecordingSink, handle, type ConnAction } from '../../src/broker/index.ts';
import { PacketReader, type Packet, type ProtocolLevel } from '../../src/codec/index.ts';
import { ManualScheduler } from '../../src/common/index.ts';

/** Actions in a comparable form: a sent packet as its type (packet id, reason code), a routed message as its topic. */
function brief(actions: ConnAction[], level: ProtocolLevel): unknown[] {
  const reader = new PacketReader({ protocolLevel: level, from: 'server' });
  return actions.flatMap((a): unknown[] => {
    switch (a.kind) {
      case 'send':
        return reader.push(a.bytes).map((r) => {
          if (!r.ok) throw new Error(`broker sent an undecodable packet: ${r.violation.message}`);
          const p = r.packet as Packet & { packetId?: number; reasonCode?: number };
          return {
            send: p.type,
            ...(p.packetId ? { id: p.packetId } : {}),
            ...(p.reasonCode ? { rc: p.reasonCode } : {}),
          };
        });
      case 'route':
        return [{ route: a.msg.topic, qos: a.qos ?? a.msg.qos, ...(a.to ? { to: a.to, retain: a.retain } : {}) }];
      case 'session-closed':
        return [{ 'session-closed': a.clientId, will: a.will?.topic ?? null, willDelay: a.willDelay }];
      case 'subscribe':
        return [{ subscribe: a.subscription.filter, qos: a.subscription.qos, of: a.clientId }];
      case 'unsubscribe':
        return [{ unsubscribe: a.filter, of: a.clientId }];
      case 'persist': {
        const { kind: _k, ...op } = a;
        return [{ persist: op }];
      }
      default:
        return [a];
    }
  });
}

const connect = (clientId: string, extra: Partial<Extract<Packet, { type: 'connect' }>> = {}): Packet => ({
  type: 'connect',
  protocolName: 'MQTT',
  protocolLevel: 5,
  clean: true,
  keepAlive: 10,
  clientId,
  ...extra,
});
const publish = (topic: string, qos: 0 | 1 | 2, packetId?: number, retain = false): Packet => ({
  type: 'publish',
  topic,
  payload: Buffer.from('x'),
  qos,
  retain,
  dup: false,
  ...(packetId === undefined ? {} : { packetId }),
});
const endOfTurn = () => new Promise<void>((r) => process.nextTick(r));

/** Memory persistence that calls itself durable: the broker then waits for a sync before acknowledging. */
function durableMemory(): MemoryPersistence {
  const p = new MemoryPersistence();
  Object.defineProperty(p, 'durable', { value: true });
  return p;
}

async function setup(persistence = new MemoryPersistence()) {
  const scheduler = new ManualScheduler(50_000);
  const broker = new Broker({ scheduler, persistence, limits: { connectTimeoutMs: 5_000 } });
  await broker.ready;
  const on = (sink: RecordingSink) => {
    const core = broker.attach(sink, { transport: 'test' });
    return {
      core,
      /** Apply a packet event and return the actions it caused. */
      packet: (packet: Packet) => {
        handle(core, { kind: 'packet', packet }, scheduler.now());
        return brief(sink.take(), 5);
      },
      take: () => brief(sink.take(), 5),
    };
  };
  return { scheduler, broker, on };
}

describe('connection core actions (sans-IO)', () => {
  it('CONNECT → PUBLISH QoS 1 → SUBSCRIBE → DISCONNECT with will, recorded and not carried out', async () => {
    const { broker, on } = await setup();
    broker.publish({ topic: 'r/kept', payload: Buffer.from('old'), qos: 1, retain: true });
    const watch = on(new RecordingSink(broker.effects));
    watch.packet(connect('act-watch'));
    watch.packet({
      type: 'subscribe',
      packetId: 1,
      subscriptions: [
        { topicFilter: 'a/#', qos: 0 },
        { topicFilter: 'w/#', qos: 0 },
      ],
    });
    expect(watch.take()).toEqual([]);
    const c = on(new RecordingSink()); // nothing forwarded to the broker
    expect(c.take()).toEqual([{ kind: 'arm-timer', ms: 5_000 }]); // the CONNECT deadline
    const will = { topic: 'w/gone', payload: Buffer.from('bye'), qos: 0 as const, retain: false };
    expect(c.packet(connect('act-1', { will }))).toEqual([
      { kind: 'arm-timer', ms: 15_000 }, // keep alive 10 s, enforced at 1.5x
      { send: 'connack' },
    ]);
    expect(c.packet(publish('a/b', 1, 7))).toEqual([
      { route: 'a/b', qos: 1 },
      { send: 'puback', id: 7 },
    ]);
    expect(c.packet({ type: 'subscribe', packetId: 2, subscriptions: [{ topicFilter: 'r/#', qos: 1 }] })).toEqual([
      { subscribe: 'r/#', qos: 1, of: 'act-1' },
      { send: 'suback', id: 2 },
      { route: 'r/kept', qos: 1, to: 'act-1', retain: true }, // the retained message, for this session only
    ]);
    // 5.0 DISCONNECT 0x04: disconnect with will message (3.14.2.1).
    expect(c.packet({ type: 'disconnect', reasonCode: 0x04 })).toEqual([
      { 'session-closed': 'act-1', will: 'w/gone', willDelay: 0 },
      { kind: 'close' },
    ]);
    // Only recorded: neither the PUBLISH nor the will reached the broker's other client.
    expect(watch.take()).toEqual([]);
    await broker.close();
  });

  it('a persistent session, carried out by the broker: writes recorded, the will reaches others', async () => {
    const { broker, on } = await setup();
    const watch = on(new RecordingSink(broker.effects));
    watch.packet(connect('act-watch', { clean: false, properties: { sessionExpiryInterval: 600 } }));
    expect(watch.packet({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: '#', qos: 1 }] })).toEqual([
      { subscribe: '#', qos: 1, of: 'act-watch' },
      {
        persist: { op: 'put-session', clientId: 'act-watch', record: expect.objectContaining({ expiryInterval: 600 }) },
      },
      { send: 'suback', id: 1 },
    ]);
    const c = on(new RecordingSink(broker.effects));
    const will = { topic: 'w/gone', payload: Buffer.from('bye'), qos: 1 as const, retain: false };
    c.take();
    c.packet(connect('act-2', { will }));
    expect(c.packet(publish('a/b', 1, 7))).toEqual([
      { route: 'a/b', qos: 1 },
      { send: 'puback', id: 7 },
    ]);
    // The watcher's core: the first send of a QoS 1 copy to a persistent session is written first.
    expect(watch.take()).toEqual([
      { persist: { op: 'put-outbound', clientId: 'act-watch', seq: 1, packetId: 1, qos: 1, topic: 'a/b' } },
      { send: 'publish', id: 1 },
    ]);
    expect(watch.packet({ type: 'puback', packetId: 1 })).toEqual([
      { persist: { op: 'remove-outbound', clientId: 'act-watch', seq: 1 } },
    ]);
    expect(c.packet({ type: 'disconnect', reasonCode: 0x04 })).toEqual([
      { 'session-closed': 'act-2', will: 'w/gone', willDelay: 0 },
      { kind: 'close' },
    ]);
    expect(watch.take()).toEqual([
      { persist: { op: 'put-outbound', clientId: 'act-watch', seq: 2, packetId: 2, qos: 1, topic: 'w/gone' } },
      { send: 'publish', id: 2 },
    ]);
    // Only the filter that exists is removed (3.10.4-1); 5.0 answers 0x11 for the other (3.11.3).
    expect(watch.packet({ type: 'unsubscribe', packetId: 3, topicFilters: ['#', 'no/such'] })).toEqual([
      { unsubscribe: '#', of: 'act-watch' },
      {
        persist: { op: 'put-session', clientId: 'act-watch', record: expect.objectContaining({ subscriptions: [] }) },
      },
      { send: 'unsuback', id: 3 },
    ]);
    await broker.close();
  });

  it('durable persistence: PUBACK and PUBREC wait for the durable event, PUBCOMP for its own sync', async () => {
    const { broker, on } = await setup(durableMemory());
    const c = on(new RecordingSink()); // the sync requests are answered by the test
    c.take();
    c.packet(connect('act-d', { clean: false, properties: { sessionExpiryInterval: 600 } }));
    expect(c.packet(publish('d/1', 1, 1))).toEqual([{ route: 'd/1', qos: 1 }]);
    expect(c.packet(publish('d/2', 2, 2))).toEqual([
      { persist: { op: 'add-inbound', clientId: 'act-d', packetId: 2 } },
      { route: 'd/2', qos: 2 },
    ]);
    await endOfTurn(); // one sync for the turn's acknowledgements
    expect(c.take()).toEqual([{ persist: { op: 'sync', seq: 1 } }]);
    handle(c.core, { kind: 'durable', seq: 1 }, 0);
    expect(c.take()).toEqual([
      { send: 'puback', id: 1 },
      { send: 'pubrec', id: 2 },
    ]);
    expect(c.packet({ type: 'pubrel', packetId: 2 })).toEqual([
      { persist: { op: 'remove-inbound', clientId: 'act-d', packetId: 2 } },
      { persist: { op: 'sync', seq: 2 } },
    ]);
    handle(c.core, { kind: 'durable', seq: 1 }, 0); // a late answer to an earlier sync releases nothing more
    expect(c.take()).toEqual([]);
    handle(c.core, { kind: 'durable', seq: 2 }, 0);
    expect(c.take()).toEqual([{ send: 'pubcomp', id: 2 }]);
    await broker.close();
  });

  it('durable persistence: a later sync completing first releases the earlier waits too, in order', async () => {
    const { broker, on } = await setup(durableMemory());
    const c = on(new RecordingSink());
    c.take();
    c.packet(connect('act-o', { clean: false, properties: { sessionExpiryInterval: 600 } }));
    c.packet(publish('o/1', 2, 1));
    c.packet(publish('o/2', 2, 2));
    await endOfTurn();
    handle(c.core, { kind: 'durable', seq: 1 }, 0);
    c.take();
    c.packet({ type: 'pubrel', packetId: 1 }); // sync 2
    c.packet({ type: 'pubrel', packetId: 2 }); // sync 3
    c.take();
    handle(c.core, { kind: 'durable', seq: 3 }, 0); // covers what was written before sync 2 as well
    expect(c.take()).toEqual([
      { send: 'pubcomp', id: 1 },
      { send: 'pubcomp', id: 2 },
    ]);
    await broker.close();
  });

  it('durable persistence: a failed sync acknowledges nothing and closes with DISCONNECT 0x80', async () => {
    const { broker, on } = await setup(durableMemory());
    const c = on(new RecordingSink());
    c.take();
    const will = { topic: 'w/x', payload: Buffer.from('bye'), qos: 0 as const, retain: false };
    c.packet(connect('act-f', { clean: false, properties: { sessionExpiryInterval: 600 }, will }));
    c.packet(publish('f/1', 1, 1));
    await endOfTurn();
    expect(c.take()).toEqual([{ persist: { op: 'sync', seq: 1 } }]);
    handle(c.core, { kind: 'sync-failed', seq: 1, error: new Error('disk gone') }, 0);
    expect(c.take()).toEqual([
      { send: 'disconnect', rc: 0x80 },
      { 'session-closed': 'act-f', will: 'w/x', willDelay: 0 }, // a server-side close keeps the will (3.1.2-8)
      { kind: 'close' },
    ]);
    await broker.close();
  });
});
