/**
 * Folds a history into the facts the checkers reason about: connections, sessions and
 * their subscriptions, publishes with their outcome, receipts and faults. Pure.
 */
import { stripSharePrefix, topicMatches as matches } from '../codec/index.ts';
import type { History, Op } from './history.ts';
import { NEMESIS } from './history.ts';

export type ConnEnd = 'open' | 'graceful' | 'ungraceful' | 'uncertain';

export interface Conn {
  process: string;
  invoke: Op;
  ok: Op;
  end?: Op;
  endKind: ConnEnd;
  session: Session;
  /** The process's session just before this connection was accepted, if any. */
  prev?: Session;
  /** CONNECTs since the previous accepted one with an unknown outcome (sent, no CONNACK seen). */
  doubts: Op[];
}

export interface Sub {
  filter: string;
  qos: 0 | 1 | 2;
  invoke: Op;
  ok: Op;
  /** The op that ended this subscription (unsubscribe, or a new subscribe of the same filter). */
  end?: Op;
  session: Session;
}

/** Why a session stopped existing: still open, its connection closed (non-persistent), the client replaced it (clean start), or the server lost it (Session Present 0 on resume). */
export type SessionEnd = 'open' | 'closed' | 'replaced' | 'lost';

export interface Session {
  id: number;
  process: string;
  persistent: boolean;
  conns: Conn[];
  subs: Sub[];
  endKind: SessionEnd;
  end?: Op;
  /** Graceful/ungraceful state of the last connection's close when the session closed with it. */
  closedBy?: ConnEnd;
}

export interface Pub {
  msgId: string;
  process: string;
  topic: string;
  qos: 0 | 1 | 2;
  retain: boolean;
  empty: boolean;
  invoke: Op;
  done?: Op;
  outcome: 'ok' | 'fail' | 'info' | 'pending';
  /** The publisher's connection when the publish was first sent. */
  conn?: Conn;
}

export interface Recv {
  op: Op;
  session?: Session;
  conn?: Conn;
}

export interface Model {
  ops: History;
  pubs: Map<string, Pub>;
  sessions: Session[];
  recvs: Recv[];
  recvByMsg: Map<string, Recv[]>;
  faults: Op[];
  conns: Conn[];
  /** Index and time of the last op (or the supplied end). */
  endIndex: number;
  endTime: number;
  /**
   * Ops missing from the history: gaps in the index sequence 0..last (a recorder numbers every
   * op, so a gap means lines were lost or removed). Absence of a receipt proves nothing then.
   */
  missingOps: number;
}

interface ProcState {
  pendingConnect?: Op;
  /** Connect attempts with an unknown outcome since the last accepted one. */
  doubts: Op[];
  conn?: Conn;
  session?: Session;
  pendingSubs: Map<string, Op>;
  pendingDisconnect?: Op;
}

const subKey = (op: Op): string =>
  `${op.value.packetId ?? ''}|${(op.value.filters ?? []).map((f) => f.filter).join(',')}`;

/** How many indices in 0..last are not in the history. */
export function countMissingOps(history: History): number {
  if (history.length === 0) return 0;
  const seen = new Set<number>();
  let last = 0;
  for (const op of history) {
    seen.add(op.index);
    if (op.index > last) last = op.index;
  }
  return last + 1 - seen.size;
}

/** `missingOps` overrides the gap count (witness shrinking keeps the full history's). */
export function buildModel(history: History, opts: { endTime?: number; missingOps?: number } = {}): Model {
  const ops = [...history].sort((a, b) => a.index - b.index);
  const m: Model = {
    ops,
    pubs: new Map(),
    sessions: [],
    recvs: [],
    recvByMsg: new Map(),
    faults: [],
    conns: [],
    endIndex: ops.length > 0 ? ops[ops.length - 1].index : 0,
    endTime: opts.endTime ?? (ops.length > 0 ? ops[ops.length - 1].time : 0),
    missingOps: opts.missingOps ?? countMissingOps(ops),
  };
  const procs = new Map<string, ProcState>();
  const st = (p: string): ProcState => {
    let s = procs.get(p);
    if (s === undefined) procs.set(p, (s = { pendingSubs: new Map(), doubts: [] }));
    return s;
  };
  const closeConn = (s: ProcState, op: Op, kind: ConnEnd): void => {
    const c = s.conn;
    if (c === undefined) return;
    c.end = op;
    c.endKind = kind;
    s.conn = undefined;
    if (!c.session.persistent && c.session.endKind === 'open') {
      c.session.endKind = 'closed';
      c.session.end = op;
      c.session.closedBy = kind;
    }
  };
  for (const op of ops) {
    if (op.process === NEMESIS) {
      if (op.f === 'fault') m.faults.push(op);
      continue;
    }
    const s = st(op.process);
    const v = op.value;
    switch (op.f) {
      case 'connect':
        if (op.type === 'invoke') {
          if (s.pendingConnect !== undefined) s.doubts.push(s.pendingConnect);
          s.pendingConnect = op;
        } else if (s.pendingConnect !== undefined) {
          const inv = s.pendingConnect;
          s.pendingConnect = undefined;
          if (op.type === 'info') s.doubts.push(inv);
          if (op.type !== 'ok') break;
          if (s.conn !== undefined) closeConn(s, op, 'uncertain');
          const prev = s.session;
          s.session = nextSession(m, s.session, inv, op);
          const conn: Conn = {
            process: op.process,
            invoke: inv,
            ok: op,
            endKind: 'open',
            session: s.session,
            prev,
            doubts: s.doubts,
          };
          s.doubts = [];
          s.session.conns.push(conn);
          m.conns.push(conn);
          s.conn = conn;
        }
        break;
      case 'disconnect':
        if (op.type === 'invoke') s.pendingDisconnect = op;
        else {
          s.pendingDisconnect = undefined;
          closeConn(s, op, op.type === 'ok' ? 'graceful' : 'uncertain');
        }
        break;
      case 'drop':
        closeConn(s, op, s.pendingDisconnect !== undefined ? 'uncertain' : 'ungraceful');
        s.pendingDisconnect = undefined;
        break;
      case 'subscribe':
        if (op.type === 'invoke') s.pendingSubs.set(subKey(op), op);
        else {
          const inv = s.pendingSubs.get(subKey(op));
          s.pendingSubs.delete(subKey(op));
          if (inv === undefined || op.type !== 'ok' || s.session === undefined || s.conn === undefined) break;
          const filters = inv.value.filters ?? [];
          filters.forEach((f, i) => {
            const g = op.value.granted?.[i] ?? f.qos;
            if (g >= 0x80) return;
            endSubs(s.session!, f.filter, op);
            s.session!.subs.push({
              filter: f.filter,
              qos: Math.min(f.qos, g) as 0 | 1 | 2,
              invoke: inv,
              ok: op,
              session: s.session!,
            });
          });
        }
        break;
      case 'unsubscribe':
        if (op.type === 'ok' && s.session !== undefined)
          for (const f of op.value.filters ?? []) endSubs(s.session, f.filter, op);
        break;
      case 'publish': {
        const id = v.msgId;
        if (id === undefined) break;
        if (op.type === 'invoke') {
          m.pubs.set(id, {
            msgId: id,
            process: op.process,
            topic: v.topic ?? '',
            qos: v.qos ?? 0,
            retain: v.retain === true,
            empty: v.empty === true,
            invoke: op,
            outcome: 'pending',
            conn: s.conn,
          });
        } else {
          const p = m.pubs.get(id);
          if (p !== undefined && p.done === undefined) {
            p.done = op;
            p.outcome = op.type as Pub['outcome'];
          }
        }
        break;
      }
      case 'receive': {
        const r: Recv = { op, session: s.session, conn: s.conn };
        m.recvs.push(r);
        if (v.msgId !== undefined) {
          const list = m.recvByMsg.get(v.msgId);
          if (list === undefined) m.recvByMsg.set(v.msgId, [r]);
          else list.push(r);
        }
        break;
      }
      default:
        break;
    }
  }
  return m;
}

function endSubs(session: Session, filter: string, op: Op): void {
  for (const sub of session.subs) if (sub.filter === filter && sub.end === undefined) sub.end = op;
}

function nextSession(m: Model, cur: Session | undefined, inv: Op, ok: Op): Session {
  const clean = inv.value.cleanStart !== false;
  const resumable = cur !== undefined && cur.endKind === 'open' && cur.persistent;
  if (!clean && resumable && ok.value.sessionPresent === true) {
    cur.persistent = inv.value.persistent === true;
    return cur;
  }
  if (cur !== undefined && cur.endKind === 'open') {
    cur.endKind = clean ? 'replaced' : 'lost';
    cur.end = ok;
  }
  const s: Session = {
    id: m.sessions.length,
    process: ok.process,
    persistent: inv.value.persistent === true,
    conns: [],
    subs: [],
    endKind: 'open',
  };
  m.sessions.push(s);
  return s;
}

/** MQTT topic matching (4.7) for any subscription, shared ones included. */
export function topicMatches(filter: string, topic: string): boolean {
  return matches(stripSharePrefix(filter), topic);
}

/** Is the session connected at the end of the history (an open connection)? */
export function connectedAtEnd(session: Session): boolean {
  const last = session.conns[session.conns.length - 1];
  return last !== undefined && last.endKind === 'open';
}
