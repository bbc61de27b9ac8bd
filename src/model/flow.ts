/**
 * Per-connection flow rules seen from the receiving client: a new QoS>0 PUBLISH from the broker
 * never reuses a packet identifier the client has not yet freed (3.1.1 2.3.1, 5.0 2.2.1), and at
 * 5.0 the broker never has more unacknowledged QoS 1/2 PUBLISHes out than the client's Receive
 * Maximum (3.3.4, 4.9). "Unacknowledged" is counted until the client SENT its PUBACK / PUBCOMP,
 * which can only under-count what the broker sees, so a finding here is real.
 * Ordering (4.6): per publisher connection, topic and delivered QoS, first copies arrive in the
 * order the publisher sent them (non-shared subscriptions; retained deliveries excluded).
 */
import { topicMatches } from '../codec/topic-match.ts';
import { cite } from './statements.ts';
import type { Receipt } from './delivery-types.ts';
import type { ModelFinding, ModelOptions } from './types.ts';
import type { World } from './world-types.ts';

export function checkInflight(w: World, o: ModelOptions, out: ModelFinding[]): void {
  const outstanding = new Map<number, Map<number, number>>();
  // Acks a client sent on a connection for a packet id not outstanding there: a delivery of the
  // previous connection, acknowledged after the reconnect. The broker may apply it to the resend
  // it is sending at that moment (the PUBACK counts when the broker receives it, 4.9), so a DUP
  // resend of that id arriving afterwards is already acknowledged.
  const preAcked = new Map<number, Set<number>>();
  const reported = new Set<string>();
  w.history.forEach((e, idx) => {
    if (e.k === 'ack') {
      const o0 = outstanding.get(e.conn);
      if (o0?.has(e.packetId)) o0.delete(e.packetId);
      else {
        const pa = preAcked.get(e.conn) ?? new Set<number>();
        preAcked.set(e.conn, pa.add(e.packetId));
      }
      return;
    }
    if (e.k !== 'receive' || e.qos === 0 || e.packetId === undefined) return;
    const c = w.conns.get(e.conn);
    if (!c) return;
    if (e.dup && preAcked.get(e.conn)?.delete(e.packetId)) return;
    const o1 = outstanding.get(e.conn) ?? new Map<number, number>();
    outstanding.set(e.conn, o1);
    const had = o1.get(e.packetId);
    if (had !== undefined) {
      const key = `pid:${e.conn}:${e.packetId}`;
      if (!e.dup && !reported.has(key)) {
        reported.add(key);
        out.push({
          family: 'inflight',
          key,
          statements: cite('packetIdInUse', o.version),
          events: [had, idx],
          about: { kind: 'inflight', clientId: c.clientId },
          message: `${c.clientId}: a new PUBLISH (${e.msg}) reused packet id ${e.packetId} while the PUBLISH of event #${had} was not yet acknowledged`,
        });
      }
      return;
    }
    o1.set(e.packetId, idx);
    const rm = c.receiveMaximum;
    if (o.version === '5.0' && rm !== undefined && o1.size > rm) {
      const key = `rm:${e.conn}`;
      if (!reported.has(key)) {
        reported.add(key);
        out.push({
          family: 'inflight',
          key,
          statements: cite('receiveMaximum', o.version),
          events: [c.connectIdx, ...o1.values()],
          about: { kind: 'inflight', clientId: c.clientId, allowed: rm },
          message: `${c.clientId}: ${o1.size} QoS 1/2 PUBLISHes were unacknowledged at once (event #${idx}) but the client's Receive Maximum is ${rm}`,
        });
      }
    }
  });
}

export function checkOrdering(w: World, o: ModelOptions, receipts: Receipt[], out: ModelFinding[]): void {
  const last = new Map<string, Receipt>();
  const seen = new Set<string>();
  for (const r of receipts) {
    const m = r.msg;
    if (r.retransmission || m.will || m.retain || r.e.retain) continue;
    const s = r.conn.session;
    if (s.subs.some((x) => x.share !== undefined && topicMatches(x.filter, m.topic))) continue;
    const first = `${s.id}|${m.id}|${r.e.qos}`;
    if (seen.has(first)) continue;
    seen.add(first);
    const g = `${s.id}|${m.pubConn}|${m.topic}|${r.e.qos}`;
    const prev = last.get(g);
    if (prev && prev.msg.seq > m.seq) {
      out.push({
        family: 'ordering',
        key: `order:${s.clientId}:${m.topic}:${r.e.qos}`,
        statements: cite('ordering', o.version),
        events: [m.publishIdx, prev.msg.publishIdx, prev.idx, r.idx],
        about: { kind: 'order', clientId: s.clientId, msg: m.id, before: prev.msg.id, topic: m.topic, qos: r.e.qos },
        message: `${s.clientId} received ${prev.msg.id} (sent ${prev.msg.seq}th) before ${m.id} (sent ${m.seq}th) from ${m.publisher} on "${m.topic}" at QoS ${r.e.qos}`,
      });
      continue;
    }
    last.set(g, r);
  }
}
