/**
 * The spec model's input: a history of what the clients of one program sent and observed,
 * with timestamps (ms, any monotonic origin). Pure data; the explorer records it.
 */
import type { SpecVersion, StatementRef } from '../spec/types.ts';

export type QoS = 0 | 1 | 2;

export interface WillSpec {
  /** The will's application message id (its payload). */
  msg: string;
  topic: string;
  qos: QoS;
  retain: boolean;
  /** 5.0 Will Delay Interval, seconds. */
  delay?: number;
}

export interface SubReq {
  filter: string;
  qos: QoS;
  noLocal?: boolean;
  retainAsPublished?: boolean;
  retainHandling?: 0 | 1 | 2;
  subscriptionId?: number;
}

/** What the broker's CONNACK declared (5.0); absent fields mean "available". */
export interface DeclaredCaps {
  maximumQoS?: QoS;
  retainAvailable?: boolean;
  sharedSubscriptionAvailable?: boolean;
  subscriptionIdentifiersAvailable?: boolean;
  wildcardSubscriptionAvailable?: boolean;
  receiveMaximum?: number;
}

export type HEvent =
  /** CONNECT sent at t, CONNACK at t1. conn numbers are unique within a history. */
  | {
      k: 'connect';
      t: number;
      t1: number;
      conn: number;
      clientId: string;
      clean: boolean;
      expiry?: number;
      will?: WillSpec;
      receiveMaximum?: number;
      sessionPresent: boolean;
      reasonCode: number;
      caps?: DeclaredCaps;
    }
  | { k: 'subscribe'; t: number; t1: number; conn: number; subs: SubReq[]; granted: number[] }
  | { k: 'unsubscribe'; t: number; t1: number; conn: number; filters: string[] }
  /** A PUBLISH sent by a client; `msg` is its application message id (the payload, or unique id when empty). */
  | { k: 'publish'; t: number; conn: number; msg: string; topic: string; qos: QoS; retain: boolean; empty: boolean }
  /** The broker is known to have taken the message (PUBACK / PUBCOMP, or a PINGRESP after a QoS 0 PUBLISH). */
  | { k: 'published'; t: number; conn: number; msg: string }
  /** We ended the connection: DISCONNECT then close (normal), or a reset (abrupt). */
  | { k: 'disconnect'; t: number; conn: number; abrupt: boolean }
  /** The broker closed the connection (not asked by us). */
  | { k: 'closed'; t: number; conn: number }
  /** A PUBLISH received from the broker. `msg` undefined = empty payload. */
  | {
      k: 'receive';
      t: number;
      conn: number;
      topic: string;
      msg: string | undefined;
      qos: QoS;
      retain: boolean;
      dup: boolean;
      packetId?: number;
      subIds?: number[];
    }
  /** We freed an inbound packet id: PUBACK (QoS 1) or PUBCOMP (QoS 2) sent. */
  | { k: 'ack'; t: number; conn: number; packetId: number }
  /** End of the program; settled = the runner waited for everything owed (or its bound). */
  | { k: 'end'; t: number; settled: boolean };

export type History = readonly HEvent[];

export type RuleFamily =
  | 'delivery'
  | 'overlap-qos'
  | 'retained'
  | 'session'
  | 'will'
  | 'ordering'
  | 'inflight'
  | 'shared'
  | 'no-local'
  | 'subscription-id';

export interface ModelFinding {
  family: RuleFamily;
  /** Stable key for re-finding the same violation while shrinking. */
  key: string;
  statements: StatementRef[];
  message: string;
  /** A required observation that has not (yet) happened, as opposed to one that must not happen. */
  missing?: boolean;
  /** What the finding is about, for turning it into a scenario step. */
  about?: FindingSubject;
  /** Indexes into the history of the events that show it. */
  events: number[];
}

export interface ModelOptions {
  version: SpecVersion;
}

export interface FindingSubject {
  kind: 'missing' | 'unexpected' | 'extra' | 'order' | 'session-present' | 'inflight';
  clientId: string;
  msg?: string;
  topic?: string;
  qos?: number;
  retain?: boolean;
  /** extra: how many copies the spec allows; session-present: the expected flag as 0/1; order: the earlier message. */
  allowed?: number;
  before?: string;
}
