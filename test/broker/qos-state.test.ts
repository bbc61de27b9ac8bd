import { describe, expect, it } from 'vitest';
import { InboundQos } from '../../src/broker/inbound-qos.ts';
import { OutState, type Message, type Outgoing } from '../../src/broker/message.ts';
import { OutboundQos } from '../../src/broker/outbound-qos.ts';
import { RetainedStore } from '../../src/broker/retained-store.ts';

const msg = (topic: string, extra: Partial<Message> = {}): Message => ({
  topic,
  payload: Buffer.from(topic),
  qos: 1,
  retain: false,
  ...extra,
});
const out = (q: OutboundQos, m: Message, qos: 1 | 2 = 1): Outgoing => ({
  seq: q.newSeq(),
  msg: m,
  qos,
  retain: false,
  packetId: 0,
  state: OutState.Queued,
  sent: false,
});

describe('OutboundQos', () => {
  it('sends within the receive maximum and queues beyond it (4.9)', () => {
    const q = new OutboundQos();
    q.receiveMaximum = 2;
    const a = q.submit(out(q, msg('a')), true);
    const b = q.submit(out(q, msg('b')), true);
    const c = q.submit(out(q, msg('c')), true);
    expect([a?.packetId, b?.packetId, c]).toEqual([1, 2, null]);
    expect(q.queued).toBe(1);
    const r = q.puback(1, 0);
    expect(r.known).toBe(true);
    expect(r.release.map((o) => [o.msg.topic, o.packetId])).toEqual([['c', 3]]);
    expect(q.puback(1, 0).known).toBe(false);
  });

  it('never reuses an in-flight packet id and skips 0 on wrap', () => {
    const q = new OutboundQos(10);
    const ids = new Set<number>();
    const first = q.submit(out(q, msg('keep')), true)!;
    ids.add(first.packetId);
    for (let i = 0; i < 70000; i++) {
      const o = q.submit(out(q, msg('x')), true)!;
      expect(o.packetId).toBeGreaterThan(0);
      expect(o.packetId).not.toBe(first.packetId);
      q.puback(o.packetId, 0);
    }
  });

  it('runs the QoS 2 sender states and resends in order on resume', () => {
    const q = new OutboundQos();
    const a = q.submit(out(q, msg('a'), 2), true)!;
    const b = q.submit(out(q, msg('b'), 2), true)!;
    a.sent = b.sent = true;
    expect(q.pubrec(a.packetId, 0, 0).sendPubrel).toBe(true);
    expect(q.inflight.get(a.packetId)!.state).toBe(OutState.PubrelSent);
    const { resend } = q.resume(0);
    expect(resend.map((o) => [o.msg.topic, o.state])).toEqual([
      ['a', OutState.PubrelSent],
      ['b', OutState.PublishSent],
    ]);
    expect(q.pubcomp(b.packetId, 0).known).toBe(false); // PUBCOMP before PUBREC is not accepted
    expect(q.pubcomp(a.packetId, 0).known).toBe(true);
    expect(q.pubrec(b.packetId, 0x80, 0).sendPubrel).toBe(false); // error code finishes it (4.4.0-2)
    expect(q.inflight.size).toBe(0);
  });

  it('queues while offline, drops expired messages and applies the drop policy', () => {
    const q = new OutboundQos(2, 'drop-oldest');
    const dropped: Outgoing[] = [];
    q.submit(out(q, msg('old', { expiresAt: 5 })), false, dropped);
    q.submit(out(q, msg('b')), false, dropped);
    q.submit(out(q, msg('c')), false, dropped);
    expect(dropped.map((o) => o.msg.topic)).toEqual(['old']);
    const q2 = new OutboundQos(5);
    q2.submit(out(q2, msg('exp', { expiresAt: 5 })), false);
    q2.submit(out(q2, msg('ok')), false);
    expect(q2.resume(10).release.map((o) => o.msg.topic)).toEqual(['ok']);
    expect(q2.expired).toBe(1);
    const q3 = new OutboundQos(1, 'drop-newest');
    const d3: Outgoing[] = [];
    q3.submit(out(q3, msg('first')), false, d3);
    q3.submit(out(q3, msg('second')), false, d3);
    expect(d3.map((o) => o.msg.topic)).toEqual(['second']);
  });
});

describe('InboundQos', () => {
  it('routes a QoS 2 message once until PUBREL frees the id', () => {
    const q = new InboundQos();
    expect(q.publish(7)).toBe('new');
    expect(q.publish(7)).toBe('duplicate');
    expect(q.pubrel(7).known).toBe(true);
    expect(q.pubrel(7).known).toBe(false);
    expect(q.publish(7)).toBe('new');
  });
});

describe('RetainedStore', () => {
  it('replaces, clears with an empty payload and expires', () => {
    const r = new RetainedStore();
    r.apply(msg('a/b'));
    r.apply(msg('a/b', { payload: Buffer.from('v2') }));
    r.apply(msg('a/c', { expiresAt: 10 }));
    expect(r.match('a/+', 0).map((m) => m.payload.toString())).toEqual(['v2', 'a/c']);
    const expired: string[] = [];
    expect(r.match('a/#', 20, expired).map((m) => m.topic)).toEqual(['a/b']);
    expect(expired).toEqual(['a/c']);
    expect(r.apply(msg('a/b', { payload: Buffer.alloc(0) })).kind).toBe('clear');
    expect(r.size).toBe(0);
    expect(r.match('#', 0)).toEqual([]);
  });
});
