import { describe, expect, it } from 'vitest';
import { OutState, type Message, type Outgoing } from '../../src/broker/message.ts';
import { OutboundQos } from '../../src/broker/outbound-qos.ts';

const msg = (topic: string): Message => ({ topic, payload: Buffer.from(topic), qos: 1, retain: false });
const out = (q: OutboundQos, m: Message): Outgoing => ({
  seq: q.newSeq(),
  msg: m,
  qos: 1,
  retain: false,
  packetId: 0,
  state: OutState.Queued,
  sent: false,
});

// Found by the explorer's soak (5.0, seed 2028): the send quota is re-initialised with each new
// network connection (4.9, MQTT-4.9.0-2), so a resumed session resends at most the new Receive
// Maximum of unacknowledged PUBLISHes, and the rest one by one as acknowledgements come.
describe('OutboundQos resume and the new Receive Maximum', () => {
  it('resends no more PUBLISHes than the new Receive Maximum, then one per acknowledgement, in order', () => {
    const q = new OutboundQos();
    const sent = ['a', 'b', 'c'].map((t) => q.submit(out(q, msg(t)), true)!);
    for (const o of sent) o.sent = true;
    q.receiveMaximum = 1;
    const r = q.resume(0);
    expect(r.resend.map((o) => o.msg.topic)).toEqual(['a']);
    expect(r.release).toEqual([]);
    const afterA = q.puback(sent[0].packetId, 0);
    expect(afterA.release.map((o) => o.msg.topic)).toEqual(['b']);
    const afterB = q.puback(sent[1].packetId, 0);
    expect(afterB.release.map((o) => o.msg.topic)).toEqual(['c']);
  });

  it('a PUBCOMP for a PUBREL resent after the reconnect frees no quota it never used: never more unacknowledged PUBLISHes than the window (explorer, 5.0)', () => {
    // Shrunk by the explorer: QoS 2 deliveries in flight (one answered with PUBREC), a reconnect
    // with Receive Maximum 1, then more messages: 2 unacknowledged PUBLISHes were seen.
    const q = new OutboundQos();
    const q2 = (t: string): Outgoing => ({ ...out(q, msg(t)), qos: 2 });
    const [x, a, b] = ['x', 'a', 'b'].map((t) => q.submit(q2(t), true)!);
    for (const o of [x, a, b]) o.sent = true;
    q.pubrec(x.packetId, 0, 0);
    q.receiveMaximum = 1;
    const r = q.resume(0);
    // PUBREL for x (no quota), PUBLISH a (the one unit of quota); b waits.
    expect(r.resend.map((o) => [o.msg.topic, o.state])).toEqual([
      ['x', OutState.PubrelSent],
      ['a', OutState.PublishSent],
    ]);
    expect(q.submit(q2('c'), true)).toBeNull();
    // The PUBCOMP for x: a is still unacknowledged, so neither b nor c may go out.
    expect(q.pubcomp(x.packetId, 0).release).toEqual([]);
    // a's PUBREC does not free quota (only its PUBCOMP does, 4.9); then b goes, then c.
    q.pubrec(a.packetId, 0, 0);
    expect(q.pubcomp(a.packetId, 0).release.map((o) => o.msg.topic)).toEqual(['b']);
    q.pubrec(b.packetId, 0, 0);
    expect(q.pubcomp(b.packetId, 0).release.map((o) => o.msg.topic)).toEqual(['c']);
  });
});
