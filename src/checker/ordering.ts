/**
 * Ordered topics (MQTT 4.6): the server forwards one publisher's messages on a topic, at one
 * QoS, to each subscriber in the order it received them. We only claim an order the history
 * proves the server saw: a was acknowledged before b was first sent (QoS 1/2), or, for QoS 0,
 * a and b went out on the same publisher connection in that order (no resends at QoS 0, and
 * the transport is an ordered stream). A later-arriving DUP=1 copy is a legal retransmission
 * (4.4) and is not an ordering fault; only a fresh (DUP=0) first copy of a arriving after b is.
 */
import { ref311, ref50 } from '../spec/types.ts';
import type { History } from './history.ts';
import type { Model, Pub, Recv } from './model.ts';
import { topicMatches } from './model.ts';
import { subscriptionOps } from './delivery.ts';
import type { CheckOptions, CheckResult, CheckerSpec, Findings, Violation } from './result.ts';
import { runChecker } from './result.ts';

/** Did the server certainly receive a before b? */
export function provenBefore(a: Pub, b: Pub): boolean {
  if (a.process !== b.process || a.topic !== b.topic || a.qos !== b.qos || a === b) return false;
  if (a.qos === 0) return a.conn !== undefined && a.conn === b.conn && a.invoke.index < b.invoke.index;
  return a.outcome === 'ok' && a.done !== undefined && a.done.index < b.invoke.index;
}

function findOrdering(m: Model): Findings {
  const violations: Violation[] = [];
  let checked = 0;
  // Group first receipts per (subscriber session, publisher, topic, publish QoS, delivered QoS).
  const groups = new Map<string, { recv: Recv; pub: Pub }[]>();
  const seen = new Set<string>();
  for (const r of m.recvs) {
    const id = r.op.value.msgId;
    if (id === undefined || r.session === undefined) continue;
    const p = m.pubs.get(id);
    if (p === undefined) continue;
    const once = `${r.session.id}|${id}`;
    if (seen.has(once)) continue;
    seen.add(once);
    if (r.session.subs.some((s) => s.filter.startsWith('$share/') && topicMatches(s.filter, p.topic))) continue;
    const g = `${r.session.id}|${p.process}|${p.topic}|${p.qos}|${r.op.value.qos ?? p.qos}`;
    let list = groups.get(g);
    if (list === undefined) groups.set(g, (list = []));
    list.push({ recv: r, pub: p });
  }
  for (const list of groups.values()) {
    // Latest-sent earlier first receipt: overall (QoS 1/2) and per publisher connection (QoS 0).
    let latest: { recv: Recv; pub: Pub } | undefined;
    const latestByConn = new Map<unknown, { recv: Recv; pub: Pub }>();
    for (const a of list) {
      checked++;
      const b = a.pub.qos === 0 ? latestByConn.get(a.pub.conn) : latest;
      if (a.recv.op.value.dup !== true && b !== undefined && provenBefore(a.pub, b.pub)) {
        const subs = a.recv.session!.subs.filter((s) => topicMatches(s.filter, a.pub.topic));
        violations.push({
          key: `order:${a.pub.msgId}<${b.pub.msgId}->${a.recv.op.process}#${a.recv.session!.id}`,
          message: `${a.pub.process} published ${a.pub.msgId} before ${b.pub.msgId} on "${a.pub.topic}" (QoS ${a.pub.qos}), but ${a.recv.op.process} first got ${b.pub.msgId} (op #${b.recv.op.index}) and only then a fresh copy of ${a.pub.msgId} (op #${a.recv.op.index})`,
          ops: [
            a.pub.invoke,
            ...(a.pub.done ? [a.pub.done] : []),
            b.pub.invoke,
            ...subscriptionOps(subs),
            b.recv.op,
            a.recv.op,
          ],
        });
      }
      if (latest === undefined || a.pub.invoke.index > latest.pub.invoke.index) latest = a;
      const lc = latestByConn.get(a.pub.conn);
      if (a.pub.conn !== undefined && (lc === undefined || a.pub.invoke.index > lc.pub.invoke.index))
        latestByConn.set(a.pub.conn, a);
    }
  }
  return { violations, checked, unknown: 0 };
}

export const orderingSpec: CheckerSpec = {
  name: 'ordered-topics',
  noun: 'first receipts',
  statements: (v) =>
    v === '5.0' ? [ref50('MQTT-4.6.0-5'), ref50('MQTT-4.6.0-6')] : [ref311('MQTT-4.6.0-5'), ref311('MQTT-4.6.0-6')],
  find: (m) => findOrdering(m),
};

export const checkOrdering = (h: History, o?: CheckOptions): CheckResult => runChecker(orderingSpec, h, o);
