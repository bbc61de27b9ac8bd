/** An Application Message as the broker holds it, and one delivery of it to one client. */
import type { Properties, QoS } from '../codec/packet-types.ts';

export interface Message {
  topic: string;
  payload: Buffer;
  qos: QoS;
  retain: boolean;
  /** 5.0 application properties to forward (never topicAlias or subscriptionIdentifiers). */
  properties?: Properties;
  /** Absolute time (ms, broker clock) after which the message expires; from Message Expiry Interval. */
  expiresAt?: number;
  /** Client id of the publisher, for No Local. */
  publisher?: string;
}

/** Queue/in-flight states of one outbound delivery. */
export const OutState = { Queued: 0, PublishSent: 1, PubrelSent: 2 } as const;
export type OutStateT = (typeof OutState)[keyof typeof OutState];

export interface Outgoing {
  /** Per-session sequence number, stable key for persistence. */
  seq: number;
  msg: Message;
  qos: QoS;
  retain: boolean;
  subIds?: number[];
  /** 0 until assigned. */
  packetId: number;
  state: OutStateT;
  /** The PUBLISH has been sent at least once (so a resend carries DUP=1). */
  sent: boolean;
  /** Set when delivered through a shared subscription: its full "$share/<group>/<filter>". */
  share?: string;
  /** The connection (OutboundQos epoch) on which its PUBLISH was last sent: only those count against that connection's send quota. */
  epoch?: number;
}

/** Seconds left of a message's expiry interval at `now`, or undefined when it has none. */
export function remainingExpiry(msg: Message, now: number): number | undefined {
  if (msg.expiresAt === undefined) return undefined;
  return Math.max(0, Math.ceil((msg.expiresAt - now) / 1000));
}

export const isExpired = (msg: Message, now: number): boolean => msg.expiresAt !== undefined && msg.expiresAt <= now;
