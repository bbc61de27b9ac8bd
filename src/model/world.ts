/**
 * Builds the model's view of one history: sessions (with their connections and subscription
 * intervals), application messages (with the interval in which the broker took them), retained
 * versions per topic and wills. Each interval is [t0, t1]: "at t0 it had not happened yet, by
 * t1 it had" — the latitude the spec leaves in timing.
 */
import { stripSharePrefix } from '../codec/topic-match.ts';
import type { HEvent, History, QoS } from './types.ts';
import {
  CLOSE_SLACK_MS,
  INF,
  type Conn,
  type Msg,
  type RetainedVersion,
  type Session,
  type Will,
  type World,
} from './world-types.ts';

export const persistentConn = (e: { clean: boolean; expiry?: number }, v5: boolean): boolean =>
  v5 ? (e.expiry ?? 0) > 0 : !e.clean;

export function buildWorld(h: History, v5: boolean): World {
  const conns = new Map<number, Conn>();
  const sessions: Session[] = [];
  const live = new Map<string, Session>();
  const msgs = new Map<string, Msg>();
  const retained = new Map<string, RetainedVersion[]>();
  const wills: Will[] = [];
  const seqOf = new Map<number, number>();
  const pending = new Map<Session, number>();
  let endT = 0;
  let settled = false;

  const endSession = (s: Session, t0: number, t1: number): void => {
    if (s.end0 !== INF) return;
    s.end0 = t0;
    s.end1 = t1;
    for (const sub of s.subs)
      if (sub.end0 === INF) {
        sub.end0 = t0;
        sub.end1 = t1;
        sub.endBy = 'session';
      }
    // A will still waiting out its Will Delay is published when the session ends (MQTT-3.1.2-8).
    for (const w of wills) {
      if (w.conn.session !== s || w.fate !== 'maybe') continue;
      w.fate = 'due';
      w.notBefore = t0;
      w.msg.t0 = t0;
      w.msg.t1 = Math.max(t0, t1) + CLOSE_SLACK_MS;
    }
    if (live.get(s.clientId) === s) live.delete(s.clientId);
  };
  const addRetained = (m: Msg, t0: number, t1: number): void => {
    const l = retained.get(m.topic) ?? [];
    l.push({ msg: m, t0, t1 });
    retained.set(m.topic, l);
  };

  h.forEach((e, idx) => {
    endT = Math.max(endT, 't1' in e ? Math.min(e.t1, 1e15) : e.t);
    switch (e.k) {
      case 'connect': {
        if (e.reasonCode !== 0) return;
        let s = live.get(e.clientId);
        // A previous connection that ended abruptly without persistence may or may not have
        // ended its session before this CONNECT (takeover race): Session Present decides.
        const pend = s ? pending.get(s) : undefined;
        if (s && pend !== undefined) {
          pending.delete(s);
          if (e.clean || !e.sessionPresent) endSession(s, pend, Math.min(pend + CLOSE_SLACK_MS, e.t1));
        }
        s = live.get(e.clientId);
        if (s && e.clean) endSession(s, e.t, e.t1);
        s = live.get(e.clientId);
        if (!s) {
          s = { id: sessions.length, clientId: e.clientId, conns: [], subs: [], end0: INF, end1: INF };
          sessions.push(s);
          live.set(e.clientId, s);
        }
        const c: Conn = {
          conn: e.conn,
          clientId: e.clientId,
          session: s,
          connectIdx: idx,
          tOpen: e.t1,
          receiveMaximum: e.receiveMaximum,
          caps: e.caps ?? {},
          will: e.will,
        };
        s.conns.push(c);
        conns.set(e.conn, c);
        // A delayed will of an earlier connection of this session is cancelled by this one.
        for (const w of wills) {
          if (w.conn.clientId === e.clientId && w.fate === 'maybe' && w.conn.session === s && w.notBefore > e.t) {
            w.fate = 'forbidden';
            w.decidedIdx = idx;
          }
        }
        return;
      }
      case 'subscribe': {
        const c = conns.get(e.conn);
        if (!c) return;
        e.subs.forEach((r, i) => {
          const g = e.granted[i];
          if (g === undefined || g >= 0x80) return;
          let share: string | undefined;
          let filter = r.filter;
          if (r.filter.startsWith('$share/')) {
            share = r.filter.slice(7).split('/')[0];
            filter = stripSharePrefix(r.filter);
          }
          let replaced = false;
          for (const old of c.session.subs) {
            if (old.end0 === INF && old.req.filter === r.filter) {
              old.end0 = e.t;
              old.end1 = e.t1;
              old.endBy = 'replace';
              replaced = true;
            }
          }
          c.session.subs.push({
            session: c.session,
            req: r,
            granted: Math.min(g, 2) as QoS,
            share,
            filter,
            subscribeIdx: idx,
            t0: e.t,
            t1: e.t1,
            end0: INF,
            end1: INF,
            replaced,
          });
        });
        return;
      }
      case 'unsubscribe': {
        const c = conns.get(e.conn);
        if (!c) return;
        for (const sub of c.session.subs) {
          if (sub.end0 === INF && e.filters.includes(sub.req.filter)) {
            sub.end0 = e.t;
            sub.end1 = e.t1;
            sub.endBy = 'unsubscribe';
          }
        }
        return;
      }
      case 'publish': {
        const c = conns.get(e.conn);
        const seq = (seqOf.get(e.conn) ?? 0) + 1;
        seqOf.set(e.conn, seq);
        msgs.set(e.msg, {
          id: e.msg,
          topic: e.topic,
          qos: e.qos,
          retain: e.retain,
          empty: e.empty,
          publisher: c?.clientId ?? '?',
          pubConn: e.conn,
          seq,
          publishIdx: idx,
          t0: e.t,
          t1: INF,
          will: false,
        });
        return;
      }
      case 'published': {
        const m = msgs.get(e.msg);
        if (!m) return;
        m.t1 = e.t;
        return;
      }
      case 'disconnect':
      case 'closed': {
        const c = conns.get(e.conn);
        if (!c || c.tClose !== undefined) return;
        c.tClose = e.t;
        c.closeIdx = idx;
        c.closeKind = e.k === 'closed' ? 'broker' : e.abrupt ? 'abrupt' : 'normal';
        const connectEv = h[c.connectIdx] as Extract<HEvent, { k: 'connect' }>;
        const persistent = persistentConn(connectEv, v5);
        if (!persistent) {
          if (c.closeKind === 'abrupt') pending.set(c.session, e.t);
          else endSession(c.session, e.t, e.t);
        }
        if (c.will) {
          const w = c.will;
          const m: Msg = {
            id: w.msg,
            topic: w.topic,
            qos: w.qos,
            retain: w.retain,
            empty: false,
            publisher: c.clientId,
            pubConn: c.conn,
            seq: 0,
            publishIdx: idx,
            t0: e.t,
            t1: e.t + CLOSE_SLACK_MS,
            will: true,
          };
          msgs.set(w.msg, m);
          let fate: Will['fate'];
          let notBefore = e.t;
          if (c.closeKind === 'normal') fate = 'discarded';
          else if (!v5 || (w.delay ?? 0) === 0 || !persistent) fate = 'due';
          else {
            fate = 'maybe';
            notBefore = e.t + (w.delay ?? 0) * 1000;
          }
          wills.push({ spec: w, conn: c, msg: m, fate, notBefore, decidedIdx: idx });
          if (fate !== 'discarded' && w.retain) addRetained(m, e.t, fate === 'due' ? e.t + CLOSE_SLACK_MS : INF);
        }
        return;
      }
      case 'end':
        settled = e.settled;
        endT = e.t;
        return;
      default:
        return;
    }
  });
  for (const [s, t] of pending) endSession(s, t, t + CLOSE_SLACK_MS);
  // Retained versions from client PUBLISHes with RETAIN 1 (in send order per topic).
  for (const m of msgs.values()) if (m.retain && !m.will) addRetained(m, m.t0, m.t1);
  for (const l of retained.values()) l.sort((a, b) => a.t0 - b.t0);
  const openAtEnd = new Set<Session>();
  for (const s of sessions) {
    const last = s.conns[s.conns.length - 1];
    if (last && last.tClose === undefined && s.end0 === INF) openAtEnd.add(s);
  }
  return { history: h, conns, sessions, msgs, retained, wills, endT, settled, openAtEnd };
}
