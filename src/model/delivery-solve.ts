/**
 * The assignment search behind delivery checking: can the received copies be given distinct slots
 * so that every requirement (required retained copies, the one maximum-QoS live copy, 5.0's list
 * of Subscription Identifiers) is met? Bounded backtracking.
 */
import type { Receipt, Slot } from './delivery-types.ts';
import { fits } from './delivery-slots.ts';

export /** Is there an assignment of receipts to distinct slots meeting the requirements? */
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
