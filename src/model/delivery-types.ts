/** The two records delivery checking works with: a received copy (Receipt) and a way a copy may arrive (Slot). */
import type { HEvent, QoS } from './types.ts';
import type { Conn, Msg, Sub } from './world-types.ts';

type Receive = Extract<HEvent, { k: 'receive' }>;

export interface Receipt {
  idx: number;
  e: Receive;
  conn: Conn;
  msg: Msg;
  /** A resend of a copy already received (same message and packet id: DUP, or on a later connection). */
  retransmission: boolean;
}

export interface Slot {
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
