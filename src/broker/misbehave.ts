/**
 * NEGATIVE-CONTROL decorator: deliberately wrong delivery for testing the checkers (options
 * `misbehave`). It wraps the router's `deliver` of one broker instance, so a normal broker's
 * delivery path has no misbehave branch at all.
 */
import type { Logger } from './logger.ts';
import type { Misbehave } from './options.ts';
import type { Router } from './router.ts';
import type { Session } from './session.ts';

/** True when `m` asks for any misbehaviour. */
export function anyMisbehave(m: Misbehave | undefined): m is Misbehave {
  return m !== undefined && Object.values(m).some((v) => v !== undefined && v !== false && v !== 0);
}

export function installMisbehave(router: Router, m: Misbehave, logger: Logger): void {
  if (!anyMisbehave(m)) return;
  logger.warn('MISBEHAVE MODE: this broker deliberately breaks MQTT delivery guarantees', { ...m });
  const deliver = router.deliver.bind(router);
  const every = m.loseQos1EveryNth !== undefined && m.loseQos1EveryNth > 0 ? m.loseQos1EveryNth : 0;
  const twice = m.duplicateQos2 === true;
  const count = new WeakMap<Session, number>();
  router.deliver = (s, msg, qos, retain, subIds, share) => {
    if (every > 0 && qos === 1 && !s.ended) {
      // Lose every Nth QoS 1 delivery to this session although the publisher was acknowledged.
      const n = (count.get(s) ?? 0) + 1;
      count.set(s, n);
      if (n % every === 0) return;
    }
    deliver(s, msg, qos, retain, subIds, share);
    // Deliver every QoS 2 message twice, as two different PUBLISHes (breaks exactly once).
    if (twice && qos === 2) deliver(s, msg, qos, retain, subIds, share);
  };
}
