/**
 * Delivery of application messages to sessions (4.5, 3.3.4 / 3.3.5, 3.8.4, 3.3.1.3, 4.8.2, wills):
 * every copy a session received must be explained by a "slot" (a matching subscription's live
 * copy, a retained copy for one SUBSCRIBE, a shared-subscription copy), each slot used at most
 * once; required slots (what the spec says MUST arrive) must be filled; with overlapping
 * subscriptions one copy must carry the maximum QoS. Anything the spec allows is a slot.
 */
import { topicMatches } from '../codec/topic-match.ts';
import { cite, type RuleName } from './statements.ts';
import type { FindingSubject, HEvent, ModelFinding, ModelOptions, QoS } from './types.ts';
import {
  definitely,
  INF,
  possibly,
  subMatches,
  type Conn,
  type Msg,
  type Session,
  type Sub,
  type World,
} from './world.ts';

type Receive = Extract<HEvent, { k: 'receive' }>;

export interface Receipt {
  idx: number;
  e: Receive;
  conn: Conn;
  msg: Msg;
  /** A resend of a copy already received (same message and packet id: DUP, or on a later connection). */
  retransmission: boolean;
}

interface Slot {
  kind: 'live' | 'retained' | 'shared';
  sub: Sub;
  qos: QoS;
  retain: boolean[];
  required: boolean;
  notBefore: number;
  /** 5.0: the copy for this subscription carries its Subscription Identifier (3.3.4-3 / -5). */
  subId?: number;
  /**
   * The one copy standing for several overlapping subscriptions: maximum QoS, and a RETAIN flag
   * any of them allows (the spec says nothing about merging Retain As Published). Only as the
   * sole live copy.
   */
  merged?: boolean;
}

const minQ = (a: QoS, b: QoS): QoS => (a < b ? a : b);

/** Receipts per session, message and connection; unknown messages reported at once. */
export function collectReceipts(w: World, o: ModelOptions, out: ModelFinding[]): Receipt[] {
  const res: Receipt[] = [];
  const seen = new Map<string, number[]>();
  const gotEmpty = new Map<string, number>();
  const emptyByPid = new Map<string, Msg>();
  w.history.forEach((e, idx) => {
    if (e.k !== 'receive') return;
    const conn = w.conns.get(e.conn);
    if (!conn) return;
    let msg = e.msg !== undefined ? w.msgs.get(e.msg) : undefined;
    if (e.msg === undefined) {
      // An empty payload carries no id: take the oldest empty message on that topic that this
      // session could still receive a copy of like this (copies so far < fitting slots); else the
      // latest one. Copies of empty messages are indistinguishable, so any such choice is as good.
      const pidKey = e.packetId !== undefined ? `${conn.session.id}|${e.topic}|${e.packetId}` : undefined;
      const resent = pidKey !== undefined ? emptyByPid.get(pidKey) : undefined;
      const cands = [...w.msgs.values()]
        .filter((m) => m.empty && m.topic === e.topic && m.t0 <= e.t)
        .sort((a, b) => a.t0 - b.t0);
      const probe = { e, conn, retransmission: false, idx } as Receipt;
      msg =
        resent && (e.dup || resent.qos > 0)
          ? resent
          : (cands.find(
              (m) =>
                (gotEmpty.get(`${conn.session.id}|${m.id}`) ?? 0) <
                slotsFor(w, o, m, conn.session).slots.filter(
                  (sl) => !sl.merged && fitsLoosely({ ...probe, msg: m }, sl),
                ).length,
            ) ?? cands[cands.length - 1]);
      const resend = msg !== undefined && msg === resent && (e.dup || resent.qos > 0);
      if (msg && !resend)
        gotEmpty.set(`${conn.session.id}|${msg.id}`, (gotEmpty.get(`${conn.session.id}|${msg.id}`) ?? 0) + 1);
      if (msg && pidKey !== undefined) emptyByPid.set(pidKey, msg);
    }
    if (!msg || msg.topic !== e.topic) {
      out.push({
        family: 'delivery',
        key: `unknown:${e.conn}:${e.msg}`,
        statements: cite('delivery', o.version),
        events: [idx],
        message: `connection ${e.conn} (${conn.clientId}) received a PUBLISH on "${e.topic}" that no client published there (payload ${e.msg ?? 'empty'})`,
      });
      return;
    }
    const key = `${conn.session.id}|${msg.id}|${e.packetId ?? ''}`;
    const prev = e.packetId !== undefined ? seen.get(key) : undefined;
    const retransmission = prev !== undefined && (e.dup || prev.some((c) => c !== e.conn));
    if (e.packetId !== undefined) seen.set(key, [...(prev ?? []), e.conn]);
    res.push({ idx, e, conn, msg, retransmission });
  });
  return res;
}

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

function slotsFor(w: World, o: ModelOptions, m: Msg, s: Session): { slots: Slot[]; exact: boolean; maxQ: number } {
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

const fitsLoosely = (r: Receipt, sl: Slot): boolean =>
  r.e.qos === sl.qos && sl.retain.includes(r.e.retain) && r.e.t >= sl.notBefore;
const fits = (r: Receipt, sl: Slot): boolean =>
  fitsLoosely(r, sl) && (sl.subId === undefined || (r.e.subIds ?? []).includes(sl.subId));

/** Is there an assignment of receipts to distinct slots meeting the requirements? */
function solve(
  rs: Receipt[],
  slots: Slot[],
  exact: boolean,
  maxQ: number,
  opts: { requirements: boolean; allIds?: number[] },
): Slot[] | null {
  const used = new Array<boolean>(slots.length).fill(false);
  const pick: Slot[] = [];
  let budget = 20000;
  const ok = (): boolean => {
    const live = pick.filter((p) => p.kind === 'live');
    if (live.length > 1 && live.some((p) => p.merged)) return false;
    if (!opts.requirements) return true;
    for (let i = 0; i < slots.length; i++)
      if (slots[i].required && slots[i].kind === 'retained' && !used[i]) return false;
    // Live copies: one copy (at the maximum QoS) is owed, however many subscriptions match.
    if (slots.some((x) => x.kind === 'live' && x.required) && !live.some((p) => p.qos === maxQ)) return false;
    if (exact && live.length > 0 && maxQ >= 0 && !live.some((p) => p.qos === maxQ)) return false;
    // 5.0: a single live copy lists every matching Subscription Identifier (MQTT-3.3.4-4).
    if (opts.allIds && opts.allIds.length > 0 && exact && live.length === 1) {
      const r = rs[pick.indexOf(live[0])];
      if (!opts.allIds.every((id) => (r.e.subIds ?? []).includes(id))) return false;
    }
    return true;
  };
  const go = (i: number): boolean => {
    if (--budget < 0) return false;
    if (i === rs.length) return ok();
    for (let j = 0; j < slots.length; j++) {
      if (used[j] || !fits(rs[i], slots[j])) continue;
      used[j] = true;
      pick.push(slots[j]);
      if (go(i + 1)) return true;
      used[j] = false;
      pick.pop();
    }
    return false;
  };
  return go(0) ? pick.slice() : null;
}

export function checkDelivery(w: World, o: ModelOptions, receipts: Receipt[], out: ModelFinding[]): void {
  const v5 = o.version === '5.0';
  const by = new Map<string, Receipt[]>();
  for (const r of receipts) {
    if (r.retransmission) continue;
    const k = `${r.conn.session.id}|${r.msg.id}`;
    const l = by.get(k) ?? [];
    l.push(r);
    by.set(k, l);
  }
  for (const s of w.sessions) {
    for (const m of w.msgs.values()) {
      const rs = by.get(`${s.id}|${m.id}`) ?? [];
      const { slots, exact, maxQ } = slotsFor(w, o, m, s);
      if (rs.length === 0 && !slots.some((x) => x.required)) continue;
      const f = (
        rule: RuleName,
        family: ModelFinding['family'],
        what: string,
        events: number[],
        missing = false,
        about?: Partial<FindingSubject>,
      ): void => {
        out.push({
          family,
          key: `${rule}:${s.clientId}#${s.id}:${m.id}`,
          statements: cite(rule, o.version),
          message: `${s.clientId}: ${what}`,
          events,
          ...(missing ? { missing } : {}),
          about: {
            kind: missing ? 'missing' : 'unexpected',
            clientId: s.clientId,
            msg: m.id,
            topic: m.topic,
            ...about,
          },
        });
      };
      const ev = (extra: number[] = []): number[] => [m.publishIdx, ...slots.map((x) => x.sub.subscribeIdx), ...extra];
      const ids =
        v5 && !s.conns.some((c) => c.caps.subscriptionIdentifiersAvailable === false)
          ? slots
              .filter(
                (x) => x.kind === 'live' && !x.merged && definitely(x.sub, m) && x.sub.req.subscriptionId !== undefined,
              )
              .map((x) => x.sub.req.subscriptionId!)
          : [];
      const sol = solve(rs, slots, exact, maxQ, { requirements: true, allIds: ids });
      if (sol) continue;
      const solNoIds = ids.length > 0 ? solve(rs, slots, exact, maxQ, { requirements: true }) : null;
      if (solNoIds) {
        checkSubIds(o, m, s, rs, solNoIds, slots, exact, out);
        continue;
      }
      // With several copies none can be the merged one: each needs a slot of its own.
      const loneSlots = rs.length > 1 ? slots.filter((x) => !x.merged) : slots;
      const lone = rs.find((r) => !loneSlots.some((sl) => fits(r, sl)));
      if (lone) {
        const [rule, fam, why] = explainUnexpected(w, o, m, s, lone, slots);
        f(
          rule,
          fam,
          `received ${desc(lone)} of message ${m.id} on "${m.topic}" (published ${m.retain ? 'retained ' : ''}at QoS ${m.qos} by ${m.publisher}): ${why}`,
          ev([lone.idx]),
          false,
          { qos: lone.e.qos, retain: lone.e.retain },
        );
        continue;
      }
      if (!solve(rs, slots, exact, maxQ, { requirements: false })) {
        const last = rs[rs.length - 1];
        const [rule, fam, why] =
          last.e.retain && m.retain
            ? explainUnexpected(w, o, m, s, last, [])
            : ['overlap' as RuleName, 'overlap-qos' as const, ''];
        if (rule === 'retainHandling1' || rule === 'retainHandling2') {
          f(
            rule,
            fam,
            `received ${desc(last)} of retained message ${m.id} on "${m.topic}": ${why}`,
            ev([last.idx]),
            false,
            { qos: last.e.qos, retain: true },
          );
          continue;
        }
        f(
          'overlap',
          'overlap-qos',
          `received ${rs.length} copies of message ${m.id} on "${m.topic}" (${rs.map(desc).join(', ')}) but only ${slots.filter((x) => !x.merged).length} matching subscription(s) / retained deliveries allow a copy each`,
          ev(rs.map((r) => r.idx)),
          false,
          { kind: 'extra', allowed: slots.filter((x) => !x.merged).length, qos: rs[0].e.qos },
        );
        continue;
      }
      const live = slots.filter((x) => x.kind === 'live' && !x.merged);
      const missingRet = slots.find((x) => x.required && x.kind === 'retained' && !rs.some((r) => fits(r, x)));
      if (missingRet) {
        const rule: RuleName = missingRet.sub.replaced
          ? 'retainedOnReplace'
          : v5 && missingRet.sub.req.retainHandling === 1
            ? 'retainHandling1'
            : 'retainedOnSubscribe';
        f(
          rule,
          'retained',
          `the retained message ${m.id} on "${m.topic}" (QoS ${m.qos}) was never sent for the subscription to "${missingRet.sub.req.filter}" (granted QoS ${missingRet.sub.granted})`,
          ev(rs.map((r) => r.idx)),
          true,
          { qos: missingRet.qos, retain: true },
        );
        continue;
      }
      const liveRs = rs.filter((r) => live.some((x) => fits(r, x)));
      if (liveRs.length > 0 && exact && !liveRs.some((r) => r.e.qos === maxQ)) {
        f(
          'overlap',
          'overlap-qos',
          `message ${m.id} on "${m.topic}" (QoS ${m.qos}) matched ${live.map((x) => `"${x.sub.req.filter}" (granted ${x.sub.granted})`).join(', ')}: one copy must have QoS ${maxQ}, got ${liveRs.map(desc).join(', ')}`,
          ev(rs.map((r) => r.idx)),
          true,
          { qos: maxQ },
        );
        continue;
      }
      const offline =
        live.some((x) => x.required) &&
        s.conns.some(
          (c) =>
            c.tClose !== undefined && c.tClose <= m.t0 && !s.conns.some((d) => d.tOpen > c.tClose! && d.tOpen <= m.t0),
        );
      const rule: RuleName = m.will ? 'willPublished' : offline ? 'offlineQueue' : 'delivery';
      f(
        rule,
        m.will ? 'will' : offline ? 'session' : 'delivery',
        `${m.will ? 'will' : 'message'} ${m.id} on "${m.topic}" (QoS ${m.qos}) was owed at QoS ${maxQ} through ${live
          .filter((x) => x.required)
          .map((x) => `"${x.sub.req.filter}"`)
          .join(
            ', ',
          )}${offline ? ' (queued while the session was offline)' : ''} but never arrived${rs.length ? ` (got ${rs.map(desc).join(', ')})` : ''}`,
        ev(rs.map((r) => r.idx)),
        true,
        { qos: maxQ },
      );
    }
  }
}

function checkSubIds(
  o: ModelOptions,
  m: Msg,
  s: Session,
  rs: Receipt[],
  sol: Slot[],
  slots: Slot[],
  exact: boolean,
  out: ModelFinding[],
): void {
  if (s.conns.some((c) => c.caps.subscriptionIdentifiersAvailable === false)) return;
  const liveIdx = sol.map((sl, i) => (sl.kind === 'live' ? i : -1)).filter((i) => i >= 0);
  if (liveIdx.length === 1 && exact) {
    const r = rs[liveIdx[0]];
    const want = slots
      .filter((x) => x.kind === 'live' && definitely(x.sub, m) && x.sub.req.subscriptionId !== undefined)
      .map((x) => x.sub.req.subscriptionId!);
    const got = r.e.subIds ?? [];
    const miss = want.filter((id) => !got.includes(id));
    if (miss.length > 0)
      out.push({
        family: 'subscription-id',
        key: `subid1:${s.id}:${m.id}`,
        statements: cite('subIdSingle', o.version),
        events: [m.publishIdx, r.idx],
        message: `${s.clientId}: the single copy of ${m.id} carries subscription identifiers [${got}] but must list [${want}] (missing ${miss})`,
      });
    return;
  }
}

const desc = (r: Receipt): string =>
  `a copy at QoS ${r.e.qos}${r.e.retain ? ' with RETAIN 1' : ''}${r.e.dup ? ' DUP' : ''} (event #${r.idx})`;

function explainUnexpected(
  w: World,
  o: ModelOptions,
  m: Msg,
  s: Session,
  r: Receipt,
  slots: Slot[],
): [RuleName, ModelFinding['family'], string] {
  const v5 = o.version === '5.0';
  const will = m.will ? w.wills.find((x) => x.msg === m) : undefined;
  if (will?.fate === 'discarded') return ['willDiscarded', 'will', 'the will was discarded by the normal DISCONNECT'];
  if (will?.fate === 'forbidden')
    return ['willDelay', 'will', 'the session reconnected before the Will Delay Interval passed'];
  if (will?.fate === 'maybe' && r.e.t < will.notBefore)
    return [
      'willEarly',
      'will',
      `the will was published ${Math.round(will.notBefore - r.e.t)} ms before its Will Delay Interval passed`,
    ];
  const noId = slots.find((x) => x.subId !== undefined && fitsLoosely(r, x));
  if (noId)
    return [
      'subIdCopies',
      'subscription-id',
      `the copy for "${noId.sub.req.filter}" must carry its Subscription Identifier ${noId.subId} (has [${r.e.subIds ?? []}])`,
    ];
  const shared = slots.find((x) => x.kind === 'shared');
  if (shared && r.e.qos !== shared.qos)
    return ['sharedOnce', 'shared', `the shared subscription "${shared.sub.req.filter}" gives QoS ${shared.qos}`];
  const qosOff = slots.find((x) => x.sub && x.retain.includes(r.e.retain) && x.qos !== r.e.qos);
  if (qosOff) {
    const multi = slots.filter((x) => x.kind === 'live').length > 1;
    return [
      multi ? 'overlap' : 'grantedQos',
      'overlap-qos',
      `no matching subscription gives QoS ${r.e.qos}: ${slots.map((x) => `"${x.sub.req.filter}" granted ${x.sub.granted} -> ${x.kind} copy at QoS ${x.qos}`).join(', ')}`,
    ];
  }
  const live = slots.find((x) => x.kind === 'live');
  if (live) {
    if (r.e.retain && !m.retain)
      return [v5 ? 'retainAsPublished' : 'forwardRetain', 'retained', 'RETAIN 1 on a message published without RETAIN'];
    if (v5 && !live.sub.req.retainAsPublished && live.sub.replaced)
      return [
        'forwardRetainReplaced',
        'retained',
        `the SUBSCRIBE that replaced the subscription to "${live.sub.req.filter}" cleared Retain As Published: a forwarded message must carry RETAIN 0`,
      ];
    if (!v5 || !live.sub.req.retainAsPublished)
      return ['forwardRetain', 'retained', 'a forwarded message must carry RETAIN 0'];
    if (live.sub.replaced)
      return [
        'retainAsPublishedReplaced',
        'retained',
        `Retain As Published (set by the SUBSCRIBE that replaced the subscription to "${live.sub.req.filter}"): RETAIN must be ${m.retain ? 1 : 0}`,
      ];
    return ['retainAsPublished', 'retained', `Retain As Published: RETAIN must be ${m.retain ? 1 : 0}`];
  }
  if (slots.some((x) => x.kind === 'retained') && !r.e.retain)
    return ['retainedFlag', 'retained', 'a retained message sent for a new subscription must carry RETAIN 1'];
  const subs = s.subs.filter((x) => topicMatches(x.filter, m.topic));
  const nl = v5 ? subs.find((x) => x.req.noLocal && m.publisher === s.clientId && possibly(x, m)) : undefined;
  if (nl)
    return [
      nl.replaced ? 'noLocalReplaced' : 'noLocal',
      'no-local',
      `No Local is set on "${nl.req.filter}"${nl.replaced ? ' (by the SUBSCRIBE that replaced the earlier subscription)' : ''} and ${s.clientId} published it`,
    ];
  if (r.e.retain && m.retain) {
    if (subs.some((x) => v5 && x.req.retainHandling === 2))
      return ['retainHandling2', 'retained', 'Retain Handling 2 forbids retained messages on subscribe'];
    if (subs.some((x) => v5 && x.req.retainHandling === 1 && x.replaced))
      return ['retainHandling1', 'retained', 'Retain Handling 1 sends retained messages only for a new subscription'];
    if (subs.some((x) => x.t0 <= r.e.t && x.share === undefined))
      return [
        'retainedStale',
        'retained',
        `${m.id} was no longer the retained message of "${m.topic}" when the subscription was made (replaced or cleared)`,
      ];
  }
  if (subs.some((x) => x.endBy === 'unsubscribe' && x.end1 <= m.t0))
    return [
      'unsubscribed',
      'delivery',
      'the only matching subscription had been removed by UNSUBSCRIBE before it was published',
    ];
  const old = w.sessions.some(
    (x) => x !== s && x.clientId === s.clientId && x.subs.some((y) => topicMatches(y.filter, m.topic)),
  );
  if (old)
    return [
      'cleanSession',
      'session',
      'only an earlier session of this client id (discarded by a clean start / expiry) had a matching subscription',
    ];
  return ['delivery', 'delivery', 'no subscription of this session matches it'];
}
