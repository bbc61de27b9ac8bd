/**
 * The "slots" of one message for one session: each way the spec allows a copy to arrive (a
 * matching subscription's live copy, a retained copy for one SUBSCRIBE, a shared-subscription
 * copy, or the one merged copy standing for overlapping subscriptions), whether it is required,
 * and which received copy fits which slot.
 */
import { topicMatches } from '../codec/topic-match.ts';
import type { ModelOptions, QoS } from './types.ts';
import type { Receipt, Slot } from './delivery-types.ts';
import { definitely, possibly, subMatches } from './sub-match.ts';
import { INF, type Msg, type Session, type Sub, type World } from './world-types.ts';

const minQ = (a: QoS, b: QoS): QoS => (a < b ? a : b);

function retainedCandidate(w: World, m: Msg, sub: Sub): { candidate: boolean; sure: boolean } {
  const versions = w.retained.get(m.topic) ?? [];
  let definite: Msg | undefined;
  let racing = false;
  let isRacing = false;
  for (const v of versions) {
    if (v.t1 <= sub.t0) definite = v.msg;
    else if (v.t0 <= sub.t1) {
      racing = true;
      if (v.msg === m) isRacing = true;
    }
  }
  const isDef = definite === m && !m.empty;
  return { candidate: isDef || (isRacing && !m.empty), sure: isDef && !racing };
}
export function slotsFor(
  w: World,
  o: ModelOptions,
  m: Msg,
  s: Session,
): { slots: Slot[]; exact: boolean; maxQ: number } {
  const v5 = o.version === '5.0';
  const slots: Slot[] = [];
  let exact = true;
  let maxQ = -1;
  const open = w.settled && w.openAtEnd.has(s);
  const will = m.will ? w.wills.find((x) => x.msg === m) : undefined;
  const liveAllowed = !will || will.fate === 'due' || will.fate === 'maybe';
  // Copies of empty payloads cannot be told apart (no id), so their arrival is never required:
  // which empty message a copy belongs to is a guess (extra copies are still found).
  const liveRequired = !will ? m.t1 < INF && !m.empty : will.fate === 'due';
  const notBefore = will && will.fate === 'maybe' ? will.notBefore : 0;
  const ids = v5 && !s.conns.some((c) => c.caps.subscriptionIdentifiersAvailable === false);
  for (const sub of s.subs) {
    if (!topicMatches(sub.filter, m.topic)) continue;
    if (liveAllowed && subMatches(sub, m, v5) && possibly(sub, m)) {
      const q = minQ(m.qos, sub.granted);
      const retain = !v5 ? [false] : sub.req.retainAsPublished ? [m.retain] : [false];
      const subId = ids ? sub.req.subscriptionId : undefined;
      if (sub.share !== undefined)
        slots.push({ kind: 'shared', sub, qos: q, retain, required: false, notBefore, subId });
      else {
        const def = definitely(sub, m);
        if (!def) exact = false;
        else if (q > maxQ) maxQ = q;
        const stays = sub.endBy === undefined || sub.endBy === 'replace';
        slots.push({
          kind: 'live',
          sub,
          qos: q,
          retain,
          required: def && liveRequired && open && q >= 1 && stays,
          notBefore,
          subId,
        });
      }
    }
    // Shared subscriptions: 3.8.4 says no retained messages are sent, but that sentence carries
    // no statement ID, so the model cannot cite it: such a copy is allowed (never required).
    if (m.retain && sub.share !== undefined && retainedCandidate(w, m, sub).candidate) {
      slots.push({
        kind: 'retained',
        sub,
        qos: minQ(m.qos, sub.granted),
        retain: [true],
        required: false,
        notBefore: sub.t0,
      });
    }
    if (m.retain && sub.share === undefined) {
      const rh = v5 ? (sub.req.retainHandling ?? 0) : 0;
      if (rh === 2 || (rh === 1 && sub.replaced)) continue;
      const c = retainedCandidate(w, m, sub);
      if (!c.candidate) continue;
      const q = minQ(m.qos, sub.granted);
      const ownNoLocal = v5 && sub.req.noLocal && m.publisher === s.clientId;
      const stays = sub.endBy === undefined || sub.endBy === 'replace';
      slots.push({
        kind: 'retained',
        sub,
        qos: q,
        retain: [true],
        required: c.sure && q >= 1 && open && stays && !ownNoLocal && !m.will,
        notBefore: sub.t0,
      });
    }
  }
  const live = slots.filter((x) => x.kind === 'live');
  if (live.length >= 2) {
    const top = live.reduce((a, b) => (b.qos > a.qos ? b : a));
    const retain = [...new Set(live.flatMap((x) => x.retain))];
    slots.push({
      kind: 'live',
      sub: top.sub,
      qos: top.qos,
      retain,
      required: false,
      notBefore: top.notBefore,
      merged: true,
    });
  }
  return { slots, exact, maxQ };
}
export const fitsLoosely = (r: Receipt, sl: Slot): boolean =>
  r.e.qos === sl.qos && sl.retain.includes(r.e.retain) && r.e.t >= sl.notBefore;
export const fits = (r: Receipt, sl: Slot): boolean =>
  fitsLoosely(r, sl) && (sl.subId === undefined || (r.e.subIds ?? []).includes(sl.subId));
