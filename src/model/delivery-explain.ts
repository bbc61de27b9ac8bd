/**
 * Why a received copy fits no slot: the most specific rule it breaks (will fate, Subscription
 * Identifier, shared / granted QoS, RETAIN handling, No Local, UNSUBSCRIBE, clean session), as
 * the rule to cite, the finding family and a sentence.
 */
import { topicMatches } from '../codec/topic-match.ts';
import type { RuleName } from './statements.ts';
import type { ModelFinding, ModelOptions } from './types.ts';
import type { Receipt, Slot } from './delivery-types.ts';
import { fitsLoosely } from './delivery-slots.ts';
import { possibly } from './sub-match.ts';
import type { Msg, Session, World } from './world-types.ts';

/** One received copy, for messages. */
export const desc = (r: Receipt): string =>
  `a copy at QoS ${r.e.qos}${r.e.retain ? ' with RETAIN 1' : ''}${r.e.dup ? ' DUP' : ''} (event #${r.idx})`;

export function explainUnexpected(
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
