/**
 * Retained messages (3.3.1): a new subscription gets the topic's retained message, and the
 * last retained publish wins. Publishes that overlap the subscription or each other are all
 * acceptable answers; a value the history proves superseded is a violation.
 */
import { ref311, ref50 } from '../spec/types.ts';
import type { History, Op } from './history.ts';
import type { Model, Pub, Sub } from './model.ts';
import { topicMatches } from './model.ts';
import { subscriptionOps } from './delivery.ts';
import type { CheckOptions, CheckResult, CheckerSpec, Findings } from './result.ts';
import { runChecker } from './result.ts';
import { Tally } from './tally.ts';

export interface RetainedOptions extends CheckOptions {
  /** How long after SUBACK the retained message must have arrived (default 1000 ms). */
  retainedWaitMs?: number;
}

/** Retained publishes on `topic` that a subscription acknowledged at `sub` may legitimately see. */
export function possibleRetained(
  all: Pub[],
  sub: Sub,
): { possible: Pub[]; superseded: Map<Pub, Pub>; noneOk: boolean } {
  const cands = all.filter((p) => p.outcome !== 'fail' && p.invoke.index < sub.ok.index);
  const definite = cands.filter((p) => p.outcome === 'ok' && p.done !== undefined && p.done.index < sub.invoke.index);
  const superseded = new Map<Pub, Pub>();
  for (const p of cands) {
    const q = definite.find((d) => d !== p && p.done !== undefined && p.done.index < d.invoke.index);
    if (q !== undefined) superseded.set(p, q);
  }
  const possible = cands.filter((p) => !superseded.has(p));
  // Nothing is an acceptable answer if no retained publish certainly happened, or a possible
  // last one cleared the topic, or was QoS 0 (which the server may drop at any time).
  const noneOk = definite.length === 0 || possible.some((p) => p.empty || p.qos === 0 || p.outcome !== 'ok');
  return { possible, superseded, noneOk };
}

function findRetained(m: Model, opts: RetainedOptions): Findings {
  const wait = opts.retainedWaitMs ?? 1000;
  const t = new Tally();
  const byTopic = new Map<string, Pub[]>();
  for (const p of m.pubs.values()) {
    if (!p.retain) continue;
    const list = byTopic.get(p.topic);
    if (list === undefined) byTopic.set(p.topic, [p]);
    else list.push(p);
  }
  for (const s of m.sessions) {
    for (const sub of s.subs) {
      const conn = s.conns.find(
        (c) => c.ok.index < sub.ok.index && (c.end === undefined || c.end.index > sub.ok.index),
      );
      const until = conn?.end?.index ?? Number.POSITIVE_INFINITY;
      for (const [topic, pubs] of byTopic) {
        if (!topicMatches(sub.filter, topic)) continue;
        const item = `${topic}->${s.process}@${sub.ok.index}`;
        const { possible, superseded, noneOk } = possibleRetained(pubs, sub);
        const got = m.recvs.find(
          (r) =>
            r.session === s &&
            r.op.value.retain === true &&
            r.op.value.topic === topic &&
            r.op.index > sub.ok.index &&
            r.op.index < until &&
            (sub.end === undefined || r.op.index < sub.end.index),
        );
        const base: Op[] = subscriptionOps([sub]);
        if (got !== undefined) {
          const p = m.pubs.get(got.op.value.msgId ?? '');
          if (p === undefined || p.topic !== topic) {
            t.undecided(item, 'got a retained message published outside the history', item);
            continue;
          }
          if (possible.includes(p)) {
            t.held(item);
            continue;
          }
          const q = superseded.get(p);
          t.violated(item, {
            key: `stale:${topic}:${p.msgId}->${s.process}@${sub.ok.index}`,
            message: q
              ? `${s.process} subscribed to "${sub.filter}" (op #${sub.ok.index}) and got retained ${p.msgId}, but ${q.msgId} replaced it before the subscription began (op #${q.done!.index})`
              : `${s.process} got retained ${p.msgId} on "${topic}", which was not retained when it subscribed (op #${sub.ok.index})`,
            ops: [...base, got.op, p.invoke, ...(p.done ? [p.done] : []), ...(q ? [q.invoke, q.done!] : [])],
          });
          continue;
        }
        if (noneOk) {
          t.held(item);
          continue;
        }
        const openLongEnough =
          conn !== undefined && (conn.end === undefined ? m.endTime : conn.end.time) - sub.ok.time >= wait;
        if (!openLongEnough) {
          t.undecided(item, `connection closed within ${wait} ms of subscribing`, item);
          continue;
        }
        if (m.missingOps > 0) {
          t.undecided(item, `history incomplete (${m.missingOps} op(s) missing)`, item);
          continue;
        }
        const last = possible.filter((p) => p.outcome === 'ok');
        t.violated(item, {
          key: `missing-retained:${topic}->${s.process}@${sub.ok.index}`,
          message: `${s.process} subscribed to "${sub.filter}" (op #${sub.ok.index}) but never got the retained message of "${topic}" (expected ${possible.map((p) => p.msgId).join(' or ')})`,
          ops: [...base, ...last.flatMap((p) => [p.invoke, p.done!])],
        });
      }
    }
  }
  return t.findings();
}

export const retainedSpec: CheckerSpec = {
  name: 'retained-last-value',
  noun: 'subscription/topic pairs',
  statements: (v) =>
    v === '5.0'
      ? [ref50('MQTT-3.3.1-5'), ref50('MQTT-3.3.1-6'), ref50('MQTT-3.3.1-9')]
      : [ref311('MQTT-3.3.1-5'), ref311('MQTT-3.3.1-6'), ref311('MQTT-3.3.1-7'), ref311('MQTT-3.3.1-10')],
  find: (m, o) => findRetained(m, o as RetainedOptions),
};

export const checkRetained = (h: History, o?: RetainedOptions): CheckResult => runChecker(retainedSpec, h, o);
