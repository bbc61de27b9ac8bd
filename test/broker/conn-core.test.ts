/**
 * The connection protocol core without sockets: events in (handle), actions out (a
 * RecordingSink), time on a ManualScheduler. No sleeps, no network.
 */
import { describe, expect, it } from 'vitest';
import { Broker, RecordingSink, handle, type ConnAction, type ConnCore } from '../../src/broker/index.ts';
import { PacketReader, type Packet, type ProtocolLevel, type ProtocolViolation } from '../../src/codec/index.ts';
import { ref50 } from '../../src/spec/types.ts';
import { ManualScheduler } from '../../src/common/index.ts';

function decode(actions: ConnAction[], level: ProtocolLevel): (Packet | 'close')[] {
  const out: (Packet | 'close')[] = [];
  const reader = new PacketReader({ protocolLevel: level, from: 'server' });
  for (const a of actions) {
    if (a.kind === 'close') out.push('close');
    else if (a.kind === 'send')
      for (const r of reader.push(a.bytes))
        out.push(
          r.ok
            ? r.packet
            : (() => {
                throw new Error(`broker sent an undecodable packet: ${r.violation.message}`);
              })(),
        );
  }
  return out;
}

async function setup(level: ProtocolLevel = 5) {
  const scheduler = new ManualScheduler(10_000);
  const broker = new Broker({ scheduler });
  await broker.ready;
  const open = (clientId: string, keepAlive = 0) => {
    const sink = new RecordingSink(broker.effects);
    const core = broker.attach(sink, { transport: 'test' });
    handle(
      core,
      {
        kind: 'packet',
        packet: { type: 'connect', protocolName: 'MQTT', protocolLevel: level, clean: true, keepAlive, clientId },
      },
      scheduler.now(),
    );
    return { core, sink, out: () => decode(sink.take(), level) };
  };
  const send = (core: ConnCore, packet: Packet) => handle(core, { kind: 'packet', packet }, scheduler.now());
  return { scheduler, broker, open, send };
}

describe('ConnCore (sans-IO)', () => {
  it('answers CONNECT with CONNACK and routes a QoS 1 PUBLISH to a subscriber, acknowledging it', async () => {
    const { open, send, broker } = await setup();
    const sub = open('core-sub');
    expect(sub.out()).toMatchObject([{ type: 'connack', reasonCode: 0 }]);
    send(sub.core, { type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'core/t', qos: 1 }] });
    expect(sub.out()).toMatchObject([{ type: 'suback', packetId: 1, reasonCodes: [1] }]);
    const pub = open('core-pub');
    pub.out();
    send(pub.core, {
      type: 'publish',
      topic: 'core/t',
      payload: Buffer.from('hi'),
      qos: 1,
      retain: false,
      dup: false,
      packetId: 9,
    });
    expect(pub.out()).toMatchObject([{ type: 'puback', packetId: 9 }]);
    const [m] = sub.out() as Extract<Packet, { type: 'publish' }>[];
    expect([m.type, m.topic, m.payload.toString(), m.qos]).toEqual(['publish', 'core/t', 'hi', 1]);
    await broker.close();
  });

  it('enforces keep alive on the timer event: DISCONNECT 0x8D and close after 1.5 x Keep Alive', async () => {
    const { open, scheduler, broker } = await setup();
    const c = open('core-ka', 2);
    c.out();
    scheduler.advance(2_900);
    handle(c.core, { kind: 'timer' }, scheduler.now());
    expect(c.out()).toEqual([]);
    handle(c.core, { kind: 'input' }, scheduler.now()); // bytes arrive: the clock restarts
    scheduler.advance(2_999);
    expect(c.out()).toEqual([]);
    scheduler.advance(300); // the shared sweep ticks on the scheduler too
    expect(c.out()).toMatchObject([{ type: 'disconnect', reasonCode: 0x8d }, 'close']);
    await broker.close();
  });

  it('closes an unconnected transport at the CONNECT deadline', async () => {
    const scheduler = new ManualScheduler(0);
    const broker = new Broker({ scheduler, limits: { connectTimeoutMs: 1_000 } });
    await broker.ready;
    const sink = new RecordingSink(broker.effects);
    broker.attach(sink, { transport: 'test' });
    expect(sink.take()).toEqual([{ kind: 'arm-timer', ms: 1_000 }]); // the CONNECT deadline
    scheduler.advance(750);
    expect(sink.take()).toEqual([]);
    scheduler.advance(500);
    expect(sink.take()).toEqual([{ kind: 'close' }]);
    await broker.close();
  });

  it('publishes the will when the transport goes away, not after DISCONNECT 0x00', async () => {
    const { open, send, broker, scheduler } = await setup(4);
    const watch = open('core-watch');
    send(watch.core, { type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'will/#', qos: 0 }] });
    watch.out();
    const will = { topic: 'will/a', payload: Buffer.from('gone'), qos: 0 as const, retain: false };
    const a = broker.attach(new RecordingSink(broker.effects), { transport: 'test' });
    handle(
      a,
      {
        kind: 'packet',
        packet: {
          type: 'connect',
          protocolName: 'MQTT',
          protocolLevel: 4,
          clean: true,
          keepAlive: 0,
          clientId: 'core-a',
          will,
        },
      },
      scheduler.now(),
    );
    const b = broker.attach(new RecordingSink(broker.effects), { transport: 'test' });
    handle(
      b,
      {
        kind: 'packet',
        packet: {
          type: 'connect',
          protocolName: 'MQTT',
          protocolLevel: 4,
          clean: true,
          keepAlive: 0,
          clientId: 'core-b',
          will: { ...will, topic: 'will/b' },
        },
      },
      scheduler.now(),
    );
    send(b, { type: 'disconnect' });
    handle(a, { kind: 'closed' }, scheduler.now());
    const got = watch.out() as Extract<Packet, { type: 'publish' }>[];
    expect(got.map((p) => p.topic)).toEqual(['will/a']);
    await broker.close();
  });

  it('answers a codec violation in a 5.0 CONNECT with CONNACK and close', async () => {
    const { broker, scheduler } = await setup();
    const sink = new RecordingSink(broker.effects);
    const core = broker.attach(sink, { transport: 'test' });
    const violation: ProtocolViolation = {
      kind: 'protocol-violation',
      statement: ref50('MQTT-3.1.2-3'),
      message: 'reserved flag',
      reasonCode: 0x81,
      packetType: 1,
    };
    handle(core, { kind: 'violation', violation, level: 5 }, scheduler.now());
    expect(decode(sink.take(), 5)).toMatchObject([{ type: 'connack', reasonCode: 0x81 }, 'close']);
    await broker.close();
  });
});
