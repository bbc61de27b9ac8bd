/**
 * Delivery of application messages to sessions (4.5, 3.3.4 / 3.3.5, 3.8.4, 3.3.1.3, 4.8.2, wills):
 * every copy a session received must be explained by a "slot" (a matching subscription's live
 * copy, a retained copy for one SUBSCRIBE, a shared-subscription copy), each slot used at most
 * once; required slots (what the spec says MUST arrive) must be filled; with overlapping
 * subscriptions one copy must carry the maximum QoS. Anything the spec allows is a slot.
 */
import { cite, type RuleName } from './statements.ts';
import type { FindingSubject, ModelFinding, ModelOptions } from './types.ts';
import type { Receipt, Slot } from './delivery-types.ts';
import { fits, slotsFor } from './delivery-slots.ts';
import { solve } from './delivery-solve.ts';
import { desc, explainUnexpected } from './delivery-explain.ts';
import { definitely } from './sub-match.ts';
import type { Msg, Session, World } from './world-types.ts';

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
