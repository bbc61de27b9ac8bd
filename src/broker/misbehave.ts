/**
 * NEGATIVE-CONTROL decorator: deliberately wrong delivery for testing the checkers (options
 * `misbehave`). It wraps the router's `deliver` of one broker instance, so a normal broker's
 * delivery path has no misbehave branch at all.
 */
import type { QoS } from '../codec/packet-types.ts';
import { topicMatches } from '../codec/topic-match.ts';
import type { Logger } from './logger.ts';
import type { Message } from './message.ts';
import type { Misbehave } from './options.ts';
import type { RetainedStore } from './retained-store.ts';
import type { Router } from './router.ts';
import type { Session } from './session.ts';

/** True when `m` asks for any misbehaviour. */
export function anyMisbehave(m: Misbehave | undefined): m is Misbehave {
  return m !== undefined && Object.values(m).some((v) => v !== undefined && v !== false && v !== 0);
}

export function installMisbehave(router: Router, m: Misbehave, logger: Logger, retained?: RetainedStore): void {
  if (!anyMisbehave(m)) return;
  logger.warn('MISBEHAVE MODE: this broker deliberately breaks MQTT delivery guarantees', { ...m });
  if (m.staleRetained && retained) keepFirstRetained(retained);
  // The explorer's negative controls (one per rule family of src/model) wrap deliver first.
  installExplorerControls(router, m);
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

/** The will publisher of the session manager: a no-op under `dropWills` (breaks MQTT-3.1.2-8). */
export function willPublisher(m: Misbehave | undefined, publish: (msg: Message) => void): (msg: Message) => void {
  return m?.dropWills ? () => undefined : publish;
}

/** `staleRetained`: a retained message is never replaced by a later non-empty one (breaks MQTT-3.3.1-5). */
function keepFirstRetained(retained: RetainedStore): void {
  const apply = retained.apply.bind(retained);
  retained.apply = (msg) =>
    msg.payload.length > 0 && (retained.get(msg.topic)?.payload.length ?? 0) > 0 ? { kind: 'none' } : apply(msg);
}

/**
 * overlapMinQos: overlapping subscriptions give one copy at the LOWEST matching QoS (3.3.5-1 / 3.3.4-2);
 * ignoreReceiveMaximum: the in-flight window to the client is unbounded (3.3.4-9);
 * reorderDeliveries: consecutive QoS>0 deliveries to a session are swapped (4.6.0-5 / -6);
 * dropOfflineQueue: QoS>0 messages for an offline session are dropped (3.1.2-5 / 5.0 session state).
 */
function installExplorerControls(router: Router, m: Misbehave): void {
  if (!m.overlapMinQos && !m.ignoreReceiveMaximum && !m.reorderDeliveries && !m.dropOfflineQueue) return;
  const deliver = router.deliver.bind(router);
  const held = new WeakMap<Session, () => void>();
  router.deliver = (s, msg, qos, retain, subIds, share) => {
    let q: QoS = qos;
    if (m.overlapMinQos && share === undefined) {
      const matching = [...s.subscriptions.values()].filter(
        (e) => e.group === undefined && topicMatches(e.match, msg.topic),
      );
      if (matching.length > 1) q = matching.reduce<QoS>((lo, e) => Math.min(lo, e.qos, msg.qos) as QoS, 2);
    }
    if (m.ignoreReceiveMaximum) s.out.receiveMaximum = 65535;
    if (m.dropOfflineQueue && q > 0 && !s.conn) return;
    const send = (): void => deliver(s, msg, q, retain, subIds, share);
    if (!m.reorderDeliveries || q === 0) return send();
    const prev = held.get(s);
    if (prev) {
      held.delete(s);
      send();
      prev();
      return;
    }
    held.set(s, send);
    setTimeout(() => {
      if (held.get(s) === send) {
        held.delete(s);
        send();
      }
    }, 20).unref?.();
  };
}
