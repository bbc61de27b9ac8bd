/**
 * NEGATIVE-CONTROL modes (BrokerOptions.misbehave): deliberately wrong behaviour, one per rule
 * family of the spec model, so tests can show the explorer finds and shrinks each. Every hook
 * is a one-line call from the hot path that does nothing unless its mode is on.
 */
import type { QoS } from '../codec/packet-types.ts';
import type { Misbehave } from './options.ts';
import type { Message } from './message.ts';
import type { Session } from './session.ts';

/** Merging overlapping subscriptions' QoS: max (correct) or min (overlapMinQos). */
export const mergeQos = (mb: Misbehave | undefined, cur: QoS, q: QoS): QoS =>
  mb?.overlapMinQos ? (q < cur ? q : cur) : q > cur ? q : cur;

/** The outbound in-flight window for a client. */
export const inflightWindow = (mb: Misbehave | undefined, w: number): number => (mb?.ignoreReceiveMaximum ? 65535 : w);

/** Whether a new retained message may replace the stored one. */
export const mayReplaceRetained = (mb: Misbehave | undefined, existing: Message | undefined, next: Message): boolean =>
  !(mb?.staleRetained && existing !== undefined && existing.payload.length > 0 && next.payload.length > 0);

/** Whether a normal DISCONNECT discards the will. */
export const discardsWill = (mb: Misbehave | undefined, reasonCode: number): boolean => reasonCode === 0 && !mb?.willOnNormalDisconnect;

const held = new WeakMap<Session, () => void>();

/**
 * Intercepts a QoS>0 delivery: true when the misbehaving broker took it over (dropped for an
 * offline session, or held back / released out of order). `submit` does the real delivery.
 */
export function interceptDelivery(mb: Misbehave | undefined, s: Session, qos: QoS, submit: () => void): boolean {
  if (!mb || qos === 0) return false;
  if (mb.dropOfflineQueue && !s.conn) return true;
  if (mb.reorderDeliveries) {
    const prev = held.get(s);
    if (prev) {
      held.delete(s);
      submit();
      prev();
      return true;
    }
    held.set(s, submit);
    setTimeout(() => { const p = held.get(s); if (p === submit) { held.delete(s); submit(); } }, 20).unref?.();
    return true;
  }
  return false;
}
