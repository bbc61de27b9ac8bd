/**
 * Delivery guarantees per QoS (MQTT 4.3): QoS 0 at most once, QoS 1 at least once
 * (persistent sessions included), QoS 2 exactly once.
 */
import type { SpecVersion, StatementRef } from '../spec/types.ts';
import { ref311, ref50 } from '../spec/types.ts';
import type { Op } from './history.ts';
import type { Model, Pub, Recv, Session, Sub } from './model.ts';
import { connectedAtEnd, topicMatches } from './model.ts';
import type { CheckOptions, CheckResult, CheckerSpec } from './result.ts';
import { runChecker } from './result.ts';
import { Tally } from './tally.ts';
import type { History } from './history.ts';

export interface DeliveryOptions extends CheckOptions {
  /** A publish acknowledged less than this long before the end is not yet owed (default 0). */
  settleMs?: number;
}

type Owed = { kind: 'owed' | 'maybe' | 'none'; subs: Sub[]; why?: string };

/**
 * Does session S owe delivery of the acknowledged publish p through a subscription of at least
 * minQos? Owed means: subscribed before the publish and still subscribed, the publish
 * acknowledged, and the subscriber observed long enough afterwards (settleMs) — connected at
 * the end of the history, or it left with a normal DISCONNECT — in a history with no ops
 * missing. Anything short of that is `maybe` with the reason.
 */
export function obligation(m: Model, p: Pub, s: Session, minQos: 0 | 1 | 2, settleMs = 0): Owed {
  const matching = s.subs.filter((x) => x.qos >= minQos && topicMatches(x.filter, p.topic));
  const before = matching.filter((x) => x.ok.index < p.invoke.index);
  if (before.length === 0) {
    const racing = matching.some((x) => p.done === undefined || x.invoke.index < p.done.index);
    return { kind: racing ? 'maybe' : 'none', subs: [], why: 'subscribed while publishing' };
  }
  if (p.outcome !== 'ok' || p.done === undefined)
    return { kind: 'maybe', subs: before, why: `publish outcome ${p.outcome}` };
  const live = before.filter((x) => x.end === undefined || x.end.index > m.endIndex);
  if (live.length === 0) return { kind: 'maybe', subs: before, why: 'unsubscribed' };
  if (s.end !== undefined && s.end.index < p.done.index)
    return { kind: 'maybe', subs: live, why: 'session ended while publishing' };
  const seen = observedFor(m, p, s, settleMs);
  if (seen !== undefined) return { kind: 'maybe', subs: live, why: seen };
  if (m.missingOps > 0) return { kind: 'maybe', subs: live, why: `history incomplete (${m.missingOps} op(s) missing)` };
  return { kind: 'owed', subs: live };
}

/** Undefined when the subscriber was watched long enough after p's acknowledgement to owe it; else why not. */
function observedFor(m: Model, p: Pub, s: Session, settleMs: number): string | undefined {
  const done = p.done!;
  const last = s.conns[s.conns.length - 1];
  if (s.endKind === 'open' && connectedAtEnd(s)) {
    return m.endTime - Math.max(done.time, last.ok.time) < settleMs ? 'acknowledged just before the end' : undefined;
  }
  if (s.endKind !== 'open' && s.endKind !== 'closed') return `session ${s.endKind}`;
  // The subscriber's last connection ended: only a normal DISCONNECT after the message was
  // due ends the observation cleanly (a dropped link may have eaten the delivery).
  if (last === undefined || last.end === undefined || last.endKind !== 'graceful') {
    return s.endKind === 'open' ? 'subscriber offline at the end' : 'subscriber connection dropped';
  }
  if (last.end.index < done.index) return 'subscriber offline at the end';
  if (last.end.time - Math.max(done.time, last.ok.time) < settleMs)
    return 'subscriber disconnected just after the acknowledgement';
  return undefined;
}

export function receiptsIn(m: Model, msgId: string, s: Session): Recv[] {
  return (m.recvByMsg.get(msgId) ?? []).filter((r) => r.session === s);
}

/** Ops that show a session subscribed: the connection that made each subscription and the subscription itself. */
export function subscriptionOps(subs: Sub[]): Op[] {
  const out: Op[] = [];
  for (const sub of subs) {
    const conn = sub.session.conns.find(
      (c) => c.ok.index < sub.ok.index && (c.end === undefined || c.end.index > sub.ok.index),
    );
    if (conn) out.push(conn.invoke, conn.ok);
    out.push(sub.invoke, sub.ok);
  }
  return out;
}

const pairKey = (p: Pub, s: Session): string => `${p.msgId}->${s.process}#${s.id}`;

/** Sessions that ever subscribed: only they can be owed anything (most fleet devices never subscribe). */
export const subscribingSessions = (m: Model): Session[] => m.sessions.filter((s) => s.subs.length > 0);

function findLost(m: Model, qos: 1 | 2, opts: DeliveryOptions, t: Tally): void {
  const subscribers = subscribingSessions(m);
  for (const p of m.pubs.values()) {
    if (p.qos !== qos) continue;
    for (const s of subscribers) {
      const ob = obligation(m, p, s, 1, opts.settleMs);
      if (ob.kind === 'none') continue;
      const item = pairKey(p, s);
      if (receiptsIn(m, p.msgId, s).length > 0) {
        t.held(item);
        continue;
      }
      if (ob.kind === 'maybe') {
        t.undecided(item, ob.why ?? 'undecided', `${p.msgId} -> ${s.process}`);
        continue;
      }
      const endOps = s.end ? [s.end] : [];
      const last = s.conns[s.conns.length - 1];
      const leftOps = last?.end && last.endKind === 'graceful' ? [last.end] : [];
      const resumed = s.persistent && s.conns.some((c) => c.ok.index > p.invoke.index);
      t.violated(item, {
        key: `lost:${item}`,
        ...(resumed ? { kind: 'lost-across-resume' as const } : {}),
        message: `QoS ${qos} message ${p.msgId} on "${p.topic}" from ${p.process} was acknowledged (op #${p.done!.index}) but never reached subscriber ${s.process} (subscribed to ${ob.subs.map((x) => `"${x.filter}"`).join(', ')} at op #${ob.subs[0].ok.index})`,
        ops: [p.invoke, p.done!, ...subscriptionOps(ob.subs), ...endOps, ...leftOps],
      });
    }
  }
}

/** Deliveries of p to session s that the application saw (QoS 2 repeats before PUBREL excluded). */
function appDeliveries(m: Model, p: Pub, s: Session): Recv[] {
  return receiptsIn(m, p.msgId, s).filter((r) => r.op.value.repeat !== true);
}

function findDuplicates(m: Model, pubQos: 0 | 2, t: Tally): void {
  for (const p of m.pubs.values()) {
    if (p.qos !== pubQos) continue;
    // Only sessions that received p can have received it twice.
    const receivers = new Set<Session>();
    for (const r of m.recvByMsg.get(p.msgId) ?? []) if (r.session !== undefined) receivers.add(r.session);
    for (const s of [...receivers].sort((a, b) => a.id - b.id)) {
      const got = appDeliveries(m, p, s);
      if (got.length === 0) continue;
      const item = pairKey(p, s);
      const subs = s.subs.filter((x) => topicMatches(x.filter, p.topic));
      const filters = new Set(subs.map((x) => x.filter));
      if (filters.size !== 1) {
        t.undecided(
          item,
          'overlapping subscriptions (one copy per subscription is allowed)',
          `${p.msgId} -> ${s.process}`,
        );
        continue;
      }
      if (pubQos === 2 && !got.every((r) => r.op.value.qos === 2)) {
        t.undecided(item, 'delivered below QoS 2 (duplicates allowed)', `${p.msgId} -> ${s.process}`);
        continue;
      }
      if (got.length < 2) {
        t.held(item);
        continue;
      }
      t.violated(item, {
        key: `dup:${item}`,
        kind: pubQos === 0 ? 'dup-qos0' : 'dup-qos2',
        message: `QoS ${pubQos} message ${p.msgId} on "${p.topic}" from ${p.process} was delivered ${got.length} times to ${s.process} (ops ${got.map((r) => `#${r.op.index}`).join(', ')})`,
        ops: [p.invoke, ...subscriptionOps(subs), ...got.map((r) => r.op)],
      });
    }
  }
}

const refs = (
  v: SpecVersion,
  ids311: Parameters<typeof ref311>[0][],
  ids50: Parameters<typeof ref50>[0][],
): StatementRef[] => (v === '5.0' ? ids50.map(ref50) : ids311.map(ref311));

export const qos0NoDuplicatesSpec: CheckerSpec = {
  name: 'qos0-at-most-once',
  noun: 'QoS 0 deliveries',
  statements: (v) => refs(v, ['MQTT-4.3.1-1'], ['MQTT-4.3.1-1']),
  find: (m) => {
    const t = new Tally();
    findDuplicates(m, 0, t);
    return t.findings();
  },
};

export const qos1AtLeastOnceSpec: CheckerSpec = {
  name: 'qos1-at-least-once',
  noun: 'QoS 1 message/subscriber pairs',
  statements: (v) =>
    refs(
      v,
      ['MQTT-4.3.2-1', 'MQTT-4.3.2-2', 'MQTT-4.5.0-1', 'MQTT-3.1.2-5', 'MQTT-4.4.0-1'],
      ['MQTT-4.3.2-3', 'MQTT-4.3.2-4', 'MQTT-4.5.0-1', 'MQTT-3.1.2-5', 'MQTT-3.1.2-23', 'MQTT-4.4.0-1'],
    ),
  find: (m, o) => {
    const t = new Tally();
    findLost(m, 1, o as DeliveryOptions, t);
    return t.findings();
  },
};

export const qos2ExactlyOnceSpec: CheckerSpec = {
  name: 'qos2-exactly-once',
  noun: 'QoS 2 message/subscriber pairs',
  statements: (v) =>
    refs(
      v,
      ['MQTT-4.3.3-1', 'MQTT-4.3.3-2', 'MQTT-4.5.0-1', 'MQTT-3.1.2-5', 'MQTT-4.4.0-1'],
      ['MQTT-4.3.3-8', 'MQTT-4.3.3-10', 'MQTT-4.5.0-1', 'MQTT-3.1.2-5', 'MQTT-3.1.2-23', 'MQTT-4.4.0-1'],
    ),
  // One tally over both sub-checks: a message/subscriber pair counts once (it used to count
  // once per sub-check, 320 pairs for 160 messages and one subscriber).
  find: (m, o) => {
    const t = new Tally();
    findDuplicates(m, 2, t);
    findLost(m, 2, o as DeliveryOptions, t);
    return t.findings();
  },
};

export const checkQos0NoDuplicates = (h: History, o?: CheckOptions): CheckResult =>
  runChecker(qos0NoDuplicatesSpec, h, o);
export const checkQos1AtLeastOnce = (h: History, o?: DeliveryOptions): CheckResult =>
  runChecker(qos1AtLeastOnceSpec, h, o);
export const checkQos2ExactlyOnce = (h: History, o?: DeliveryOptions): CheckResult =>
  runChecker(qos2ExactlyOnceSpec, h, o);
