/**
 * The model's view of one history, as data: sessions (with their connections and subscription
 * intervals), application messages, retained versions per topic and wills. Each interval is
 * [t0, t1]: "at t0 it had not happened yet, by t1 it had" — the latitude the spec leaves in timing.
 * Built by buildWorld (world.ts).
 */
import type { DeclaredCaps, History, QoS, SubReq, WillSpec } from './types.ts';

export const INF = Number.POSITIVE_INFINITY;
/** How long after a connection's close the broker may take to notice it and act (wills). */
export const CLOSE_SLACK_MS = 250;

export interface Conn {
  conn: number;
  clientId: string;
  session: Session;
  connectIdx: number;
  tOpen: number;
  tClose?: number;
  closeIdx?: number;
  closeKind?: 'normal' | 'abrupt' | 'broker';
  receiveMaximum?: number;
  caps: DeclaredCaps;
  will?: WillSpec;
}

export interface Sub {
  session: Session;
  req: SubReq;
  granted: QoS;
  /** The share group name for `$share/g/f`, else undefined; `filter` is without the prefix. */
  share?: string;
  filter: string;
  subscribeIdx: number;
  t0: number;
  t1: number;
  /** Removed (unsubscribe, replace, session end): [end0, end1]. */
  end0: number;
  end1: number;
  endBy?: 'unsubscribe' | 'replace' | 'session';
  /** The filter already existed in the session when this SUBSCRIBE came (a replacement). */
  replaced: boolean;
}

export interface Session {
  id: number;
  clientId: string;
  conns: Conn[];
  subs: Sub[];
  /** When the session ended (clean reconnect, or close with no persistence): [t0, t1]. */
  end0: number;
  end1: number;
}

export interface Msg {
  id: string;
  topic: string;
  qos: QoS;
  retain: boolean;
  empty: boolean;
  publisher: string;
  pubConn: number;
  /** Order of sending on its connection. */
  seq: number;
  publishIdx: number;
  t0: number;
  t1: number;
  will: boolean;
}

export interface RetainedVersion {
  msg: Msg;
  t0: number;
  t1: number;
}

export interface Will {
  spec: WillSpec;
  conn: Conn;
  msg: Msg;
  /** 'discarded' on a normal DISCONNECT; 'due' = must be published; 'maybe' = may or may not; 'forbidden' = must not. */
  fate: 'discarded' | 'due' | 'maybe' | 'forbidden';
  /** Published no earlier than this (5.0 Will Delay), when fate is not 'due'. */
  notBefore: number;
  /** Index of the event that decided the fate. */
  decidedIdx: number;
}

export interface World {
  history: History;
  conns: Map<number, Conn>;
  sessions: Session[];
  msgs: Map<string, Msg>;
  retained: Map<string, RetainedVersion[]>;
  wills: Will[];
  endT: number;
  settled: boolean;
  /** Which sessions' last connection is open at the end. */
  openAtEnd: Set<Session>;
}
