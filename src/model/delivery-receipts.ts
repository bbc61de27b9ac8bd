/**
 * Receipts: each PUBLISH a session received, tied to the message it is a copy of (empty payloads
 * carry no id and are matched by topic), and marked when it is a retransmission of a copy already
 * received. A copy of a message nobody published there is reported at once.
 */
import { cite } from './statements.ts';
import type { ModelFinding, ModelOptions } from './types.ts';
import type { Receipt } from './delivery-types.ts';
import { fitsLoosely, slotsFor } from './delivery-slots.ts';
import type { Msg, World } from './world-types.ts';

/** Receipts per session, message and connection; unknown messages reported at once. */
export function collectReceipts(w: World, o: ModelOptions, out: ModelFinding[]): Receipt[] {
  const res: Receipt[] = [];
  const seen = new Map<string, number[]>();
  const gotEmpty = new Map<string, number>();
  const emptyByPid = new Map<string, Msg>();
  w.history.forEach((e, idx) => {
    if (e.k !== 'receive') return;
    const conn = w.conns.get(e.conn);
    if (!conn) return;
    let msg = e.msg !== undefined ? w.msgs.get(e.msg) : undefined;
    if (e.msg === undefined) {
      // An empty payload carries no id: take the oldest empty message on that topic that this
      // session could still receive a copy of like this (copies so far < fitting slots); else the
      // latest one. Copies of empty messages are indistinguishable, so any such choice is as good.
      const pidKey = e.packetId !== undefined ? `${conn.session.id}|${e.topic}|${e.packetId}` : undefined;
      const resent = pidKey !== undefined ? emptyByPid.get(pidKey) : undefined;
      const cands = [...w.msgs.values()]
        .filter((m) => m.empty && m.topic === e.topic && m.t0 <= e.t)
        .sort((a, b) => a.t0 - b.t0);
      const probe = { e, conn, retransmission: false, idx } as Receipt;
      msg =
        resent && (e.dup || resent.qos > 0)
          ? resent
          : (cands.find(
              (m) =>
                (gotEmpty.get(`${conn.session.id}|${m.id}`) ?? 0) <
                slotsFor(w, o, m, conn.session).slots.filter(
                  (sl) => !sl.merged && fitsLoosely({ ...probe, msg: m }, sl),
                ).length,
            ) ?? cands[cands.length - 1]);
      const resend = msg !== undefined && msg === resent && (e.dup || resent.qos > 0);
      if (msg && !resend)
        gotEmpty.set(`${conn.session.id}|${msg.id}`, (gotEmpty.get(`${conn.session.id}|${msg.id}`) ?? 0) + 1);
      if (msg && pidKey !== undefined) emptyByPid.set(pidKey, msg);
    }
    if (!msg || msg.topic !== e.topic) {
      out.push({
        family: 'delivery',
        key: `unknown:${e.conn}:${e.msg}`,
        statements: cite('delivery', o.version),
        events: [idx],
        message: `connection ${e.conn} (${conn.clientId}) received a PUBLISH on "${e.topic}" that no client published there (payload ${e.msg ?? 'empty'})`,
      });
      return;
    }
    const key = `${conn.session.id}|${msg.id}|${e.packetId ?? ''}`;
    const prev = e.packetId !== undefined ? seen.get(key) : undefined;
    const retransmission = prev !== undefined && (e.dup || prev.some((c) => c !== e.conn));
    if (e.packetId !== undefined) seen.set(key, [...(prev ?? []), e.conn]);
    res.push({ idx, e, conn, msg, retransmission });
  });
  return res;
}
