/**
 * Session resume (3.1.2-4/5, 3.2.2, 4.4): Session Present tells the truth, and QoS 1/2
 * messages published while a persistent-session subscriber was away reach it after it
 * reconnects.
 */
import type { SpecVersion, StatementRef } from '../spec/types.ts';
import { ref311, ref50 } from '../spec/types.ts';
import type { History, Op } from './history.ts';
import type { Model, Pub } from './model.ts';
import { obligation, receiptsIn, subscriptionOps } from './delivery.ts';
import type { CheckOptions, CheckResult, CheckerSpec, Findings } from './result.ts';
import { runChecker } from './result.ts';
import { Tally } from './tally.ts';

function findSession(m: Model, opts: CheckOptions & { settleMs?: number }): Findings {
  const t = new Tally();
  for (const c of m.conns) {
    const item = `conn:${c.process}@${c.ok.index}`;
    t.held(item);
    const clean = c.invoke.value.cleanStart !== false;
    const present = c.ok.value.sessionPresent === true;
    const prev = c.prev;
    const prevConn = prev?.conns[prev.conns.length - 1];
    if (clean && present) {
      t.violated(item, {
        key: `present-after-clean:${c.process}@${c.ok.index}`,
        message: `${c.process} connected with a clean start (op #${c.invoke.index}) but the server said a session was present`,
        ops: [c.invoke, c.ok],
      });
    } else if (
      !clean &&
      !present &&
      prev !== undefined &&
      prev.persistent &&
      prev.end === c.ok &&
      prevConn !== undefined &&
      prevConn !== c
    ) {
      const expiry = prevConn.invoke.value.sessionExpiry;
      const away = c.invoke.time - (prevConn.end?.time ?? c.invoke.time);
      if (typeof expiry === 'number' && away >= expiry * 1000 - 100) {
        t.undecided(item, 'session may have expired while away', item);
        continue;
      }
      const ender = c.doubts.find((d) => mayEndSession(d, c.invoke));
      if (ender !== undefined) {
        t.either(item, EITHER_ENDED, `${c.process}: op #${ender.index}`);
        continue;
      }
      t.violated(item, {
        key: `session-lost:${c.process}@${c.ok.index}`,
        message: `${c.process} resumed its persistent session (op #${c.invoke.index}) but the server answered Session Present 0; the session from op #${prevConn.ok.index} was lost`,
        ops: [prevConn.invoke, prevConn.ok, ...(prevConn.end ? [prevConn.end] : []), c.invoke, c.ok],
      });
    } else if (!clean && present && (prev === undefined || !prev.persistent || prev.endKind === 'closed')) {
      const maker = c.doubts.find(leavesSession);
      if (maker !== undefined) {
        t.either(item, EITHER_MADE, `${c.process}: op #${maker.index}`);
        continue;
      }
      if (prev === undefined) {
        t.undecided(item, 'a session from before the history began may exist', item);
        continue;
      }
      t.violated(item, {
        key: `present-without-session:${c.process}@${c.ok.index}`,
        message: `${c.process} got Session Present 1 (op #${c.ok.index}) although its last session ended with its connection`,
        ops: [
          ...(prevConn ? [prevConn.invoke, prevConn.ok, ...(prevConn.end ? [prevConn.end] : [])] : []),
          c.invoke,
          c.ok,
        ],
      });
    }
  }
  // Messages queued while away are delivered after the session resumes.
  const acked = [...m.pubs.values()]
    .filter((p) => p.qos > 0 && p.outcome === 'ok' && p.done !== undefined)
    .sort((a, b) => a.invoke.index - b.invoke.index);
  for (const s of m.sessions) {
    if (!s.persistent) continue;
    for (let k = 0; k + 1 < s.conns.length; k++) {
      const gapFrom = s.conns[k].end;
      const resumed = s.conns[k + 1];
      if (gapFrom === undefined) continue;
      for (
        let i = firstAfter(acked, gapFrom.index);
        i < acked.length && acked[i].invoke.index < resumed.ok.index;
        i++
      ) {
        const p = acked[i];
        if (p.done!.index > resumed.ok.index) continue;
        const ob = obligation(m, p, s, 1, opts.settleMs);
        if (ob.kind === 'none') continue;
        const item = `queued:${p.msgId}->${s.process}#${s.id}`;
        if (receiptsIn(m, p.msgId, s).length > 0) {
          t.held(item);
          continue;
        }
        const replacer = resumed.doubts.find(mayReplaceSession);
        if (replacer !== undefined) {
          t.either(item, EITHER_REPLACED, `${p.msgId} -> ${s.process}`);
          continue;
        }
        if (ob.kind === 'maybe') {
          t.undecided(item, ob.why ?? 'undecided', `${p.msgId} -> ${s.process}`);
          continue;
        }
        t.violated(item, {
          key: `queued-lost:${p.msgId}->${s.process}#${s.id}`,
          message: `${p.msgId} (QoS ${p.qos}) was published while ${s.process} was away (ops #${gapFrom.index}..#${resumed.ok.index}) and was not delivered after the session resumed`,
          ops: [...subscriptionOps(ob.subs), gapFrom, p.invoke, p.done!, resumed.invoke, resumed.ok],
        });
      }
    }
  }
  return t.findings();
}

/*
 * CONNECTs whose outcome is unknown (sent, no CONNACK seen). The server may or may not have
 * acted on each, so the next Session Present may legally be either value when one of them,
 * had it been accepted, would have changed what the server holds (3.1.1 3.1.2.4 Clean Session;
 * 5.0 3.1.2.4 Clean Start and 3.1.2.11.2 Session Expiry Interval; 3.2.2.2 Session Present).
 */
const EITHER_MADE = 'Session Present 1 is legal: an unanswered CONNECT may have created the session';
const EITHER_ENDED = 'Session Present 0 is legal: an unanswered CONNECT may have ended the session';
const EITHER_REPLACED = 'not delivered is legal: an unanswered Clean Start CONNECT may have replaced the session';

const isV5 = (d: Op): boolean => d.value.protocolLevel === 5;
const expiryOf = (d: Op): number => (typeof d.value.sessionExpiry === 'number' ? d.value.sessionExpiry : 0);

/** Accepted, it would leave a session behind its connection (3.1.1 CleanSession 0; 5.0 expiry > 0). */
function leavesSession(d: Op): boolean {
  return isV5(d) ? expiryOf(d) > 0 : d.value.cleanStart === false;
}

/**
 * Accepted, it could have left no session by the time of `next`: 3.1.1 CleanSession 1 discards
 * the session and its own ends with its connection; 5.0 expiry 0 ends it with the connection,
 * or a positive expiry may have run out before `next`.
 */
function mayEndSession(d: Op, next: Op): boolean {
  if (!isV5(d)) return d.value.cleanStart !== false;
  const e = expiryOf(d);
  return e === 0 || next.time - d.time >= e * 1000 - 100;
}

/** Accepted, it would have replaced the session by a new empty one that outlives it (5.0 Clean Start 1, expiry > 0). */
function mayReplaceSession(d: Op): boolean {
  return isV5(d) && d.value.cleanStart !== false && expiryOf(d) > 0;
}

/** Index of the first publish invoked after op index `at` (binary search). */
function firstAfter(pubs: Pub[], at: number): number {
  let lo = 0;
  let hi = pubs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pubs[mid].invoke.index <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const statements = (v: SpecVersion): StatementRef[] =>
  v === '5.0'
    ? [
        ref50('MQTT-3.1.2-4'),
        ref50('MQTT-3.1.2-5'),
        ref50('MQTT-3.1.2-23'),
        ref50('MQTT-3.2.2-2'),
        ref50('MQTT-3.2.2-3'),
        ref50('MQTT-4.4.0-1'),
      ]
    : [
        ref311('MQTT-3.1.2-4'),
        ref311('MQTT-3.1.2-5'),
        ref311('MQTT-3.2.2-1'),
        ref311('MQTT-3.2.2-2'),
        ref311('MQTT-3.2.2-3'),
        ref311('MQTT-4.4.0-1'),
      ];

export const sessionSpec: CheckerSpec = {
  name: 'session-resume',
  noun: 'connections and queued messages',
  statements,
  find: (m, o) => findSession(m, o as CheckOptions & { settleMs?: number }),
};

export const checkSession = (h: History, o?: CheckOptions & { settleMs?: number }): CheckResult =>
  runChecker(sessionSpec, h, o);
