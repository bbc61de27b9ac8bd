/**
 * Delivery guarantees per QoS (MQTT 4.3): QoS 0 at most once, QoS 1 at least once
 * (persistent sessions included), QoS 2 exactly once.
 */
import type { SpecVersion, StatementRef } from '../spec/types.ts';
import { ref311, ref50 } from '../spec/types.ts';
import type { Op } from './history.ts';
import type { Model, Pub, Recv, Session, Sub } from './model.ts';
import { connectedAtEnd, topicMatches } from './model.ts';
import type { CheckOptions, CheckResult, CheckerSpec, Findings, Violation } from './result.ts';
import { runChecker } from './result.ts';
import type { History } from './history.ts';

export interface DeliveryOptions extends CheckOptions {
  /** A publish acknowledged less than this long before the end is not yet owed (default 0). */
  settleMs?: number;
}

type Owed = { kind: 'owed' | 'maybe' | 'none'; subs: Sub[]; why?: string };

/** Does session S owe delivery of the acknowledged publish p through a subscription of at least minQos? */
export function obligation(m: Model, p: Pub, s: Session, minQos: 0 | 1 | 2, settleMs = 0): Owed {
  const matching = s.subs.filter((x) => x.qos >= minQos && topicMatches(x.filter, p.topic));
  const before = matching.filter((x) => x.ok.index < p.invoke.index);
  if (before.length === 0) {
    const racing = matching.some((x) => p.done === undefined || x.invoke.index < p.done.index);
    return { kind: racing ? 'maybe' : 'none', subs: [], why: 'subscribed while publishing' };
  }
  if (p.outcome !== 'ok' || p.done === undefined) return { kind: 'maybe', subs: before, why: `publish outcome ${p.outcome}` };
  const live = before.filter((x) => x.end === undefined || x.end.index > m.endIndex);
  if (live.length === 0) return { kind: 'maybe', subs: before, why: 'unsubscribed' };
  if (m.endTime - p.done.time < settleMs) return { kind: 'maybe', subs: live, why: 'acknowledged just before the end' };
  if (s.end !== undefined && s.end.index < p.done.index) return { kind: 'maybe', subs: live, why: 'session ended while publishing' };
  switch (s.endKind) {
    case 'open':
      return connectedAtEnd(s) ? { kind: 'owed', subs: live } : { kind: 'maybe', subs: live, why: 'subscriber offline at the end' };
    case 'closed':
      return s.closedBy === 'graceful' ? { kind: 'owed', subs: live } : { kind: 'maybe', subs: live, why: 'subscriber connection dropped' };
    default:
      return { kind: 'maybe', subs: live, why: `session ${s.endKind}` };
  }
}

export function receiptsIn(m: Model, msgId: string, s: Session): Recv[] {
  return (m.recvByMsg.get(msgId) ?? []).filter((r) => r.session === s);
}

/** Ops that show a session subscribed: the connection that made each subscription and the subscription itself. */
export function subscriptionOps(subs: Sub[]): Op[] {
  const out: Op[] = [];
  for (const sub of subs) {
    const conn = sub.session.conns.find((c) => c.ok.index < sub.ok.index && (c.end === undefined || c.end.index > sub.ok.index));
    if (conn) out.push(conn.invoke, conn.ok);
    out.push(sub.invoke, sub.ok);
  }
  return out;
}

function findLost(m: Model, qos: 1 | 2, opts: DeliveryOptions): Findings {
  const violations: Violation[] = [];
  const notes: string[] = [];
  let checked = 0;
  let unknown = 0;
  for (const p of m.pubs.values()) {
    if (p.qos !== qos) continue;
    for (const s of m.sessions) {
      const ob = obligation(m, p, s, 1, opts.settleMs);
      if (ob.kind === 'none') continue;
      checked++;
      if (receiptsIn(m, p.msgId, s).length > 0) continue;
      if (ob.kind === 'maybe') {
        unknown++;
        if (notes.length < 3) notes.push(`${p.msgId} -> ${s.process}: ${ob.why}`);
        continue;
      }
      const endOps = s.end ? [s.end] : [];
      violations.push({
        key: `lost:${p.msgId}->${s.process}#${s.id}`,
        message: `QoS ${qos} message ${p.msgId} on "${p.topic}" from ${p.process} was acknowledged (op #${p.done!.index}) but never reached subscriber ${s.process} (subscribed to ${ob.subs.map((x) => `"${x.filter}"`).join(', ')} at op #${ob.subs[0].ok.index})`,
        ops: [p.invoke, p.done!, ...subscriptionOps(ob.subs), ...endOps],
      });
    }
  }
  return { violations, checked, unknown, notes };
}

/** Deliveries of p to session s that the application saw (QoS 2 repeats before PUBREL excluded). */
function appDeliveries(m: Model, p: Pub, s: Session): Recv[] {
  return receiptsIn(m, p.msgId, s).filter((r) => r.op.value.repeat !== true);
}

function findDuplicates(m: Model, pubQos: 0 | 2): Findings {
  const violations: Violation[] = [];
  let checked = 0;
  let unknown = 0;
  for (const p of m.pubs.values()) {
    if (p.qos !== pubQos) continue;
    for (const s of m.sessions) {
      const got = appDeliveries(m, p, s);
      if (got.length === 0) continue;
      checked++;
      const subs = s.subs.filter((x) => topicMatches(x.filter, p.topic));
      const filters = new Set(subs.map((x) => x.filter));
      const exact = pubQos === 0 || got.every((r) => r.op.value.qos === 2);
      if (filters.size !== 1 || !exact) {
        unknown++;
        continue;
      }
      if (got.length < 2) continue;
      violations.push({
        key: `dup:${p.msgId}->${s.process}#${s.id}`,
        message: `QoS ${pubQos} message ${p.msgId} on "${p.topic}" from ${p.process} was delivered ${got.length} times to ${s.process} (ops ${got.map((r) => `#${r.op.index}`).join(', ')})`,
        ops: [p.invoke, ...subscriptionOps(subs), ...got.map((r) => r.op)],
      });
    }
  }
  return { violations, checked, unknown };
}

const refs = (v: SpecVersion, ids311: Parameters<typeof ref311>[0][], ids50: Parameters<typeof ref50>[0][]): StatementRef[] =>
  v === '5.0' ? ids50.map(ref50) : ids311.map(ref311);

export const qos0NoDuplicatesSpec: CheckerSpec = {
  name: 'qos0-at-most-once',
  noun: 'QoS 0 deliveries',
  statements: (v) => refs(v, ['MQTT-4.3.1-1'], ['MQTT-4.3.1-1']),
  find: (m) => findDuplicates(m, 0),
};

export const qos1AtLeastOnceSpec: CheckerSpec = {
  name: 'qos1-at-least-once',
  noun: 'QoS 1 message/subscriber pairs',
  statements: (v) => refs(v, ['MQTT-4.3.2-1', 'MQTT-4.3.2-2', 'MQTT-4.5.0-1', 'MQTT-3.1.2-5', 'MQTT-4.4.0-1'], ['MQTT-4.3.2-3', 'MQTT-4.3.2-4', 'MQTT-4.5.0-1', 'MQTT-3.1.2-5', 'MQTT-4.4.0-1']),
  find: (m, o) => findLost(m, 1, o as DeliveryOptions),
};

export const qos2ExactlyOnceSpec: CheckerSpec = {
  name: 'qos2-exactly-once',
  noun: 'QoS 2 message/subscriber pairs',
  statements: (v) => refs(v, ['MQTT-4.3.3-1', 'MQTT-4.3.3-2', 'MQTT-4.5.0-1', 'MQTT-4.4.0-1'], ['MQTT-4.3.3-8', 'MQTT-4.3.3-10', 'MQTT-4.5.0-1', 'MQTT-4.4.0-1']),
  find: (m, o) => {
    const dup = findDuplicates(m, 2);
    const lost = findLost(m, 2, o as DeliveryOptions);
    return {
      violations: [...dup.violations, ...lost.violations],
      checked: dup.checked + lost.checked,
      unknown: dup.unknown + lost.unknown,
      notes: lost.notes,
    };
  },
};

export const checkQos0NoDuplicates = (h: History, o?: CheckOptions): CheckResult => runChecker(qos0NoDuplicatesSpec, h, o);
export const checkQos1AtLeastOnce = (h: History, o?: DeliveryOptions): CheckResult => runChecker(qos1AtLeastOnceSpec, h, o);
export const checkQos2ExactlyOnce = (h: History, o?: DeliveryOptions): CheckResult => runChecker(qos2ExactlyOnceSpec, h, o);
