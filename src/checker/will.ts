/**
 * Last Will (3.1.2-8 / 3.14.4-3): a will is published when the connection ends without a
 * DISCONNECT, and never after a normal DISCONNECT. A DISCONNECT that a fault may have eaten
 * leaves the outcome open.
 */
import { ref311, ref50 } from '../spec/types.ts';
import type { History, Op } from './history.ts';
import type { Conn, Model, Session } from './model.ts';
import { topicMatches } from './model.ts';
import { subscribingSessions, subscriptionOps } from './delivery.ts';
import type { CheckOptions, CheckResult, CheckerSpec, Findings } from './result.ts';
import { runChecker } from './result.ts';
import { Tally } from './tally.ts';

export interface WillOptions extends CheckOptions {
  /** Slack on top of 1.5 x keep-alive for the server to notice a dead link (default 1000 ms). */
  graceMs?: number;
}

/** Fault actions that can end or blind a connection (proxy vocabulary, matched loosely). */
const LINK_BREAKING = /close|reset|outage|blackhole|half-open|limit|bad-state|cut|timeout|partition|kill/i;

/** Did a fault touch this connection in a way that could have eaten its DISCONNECT? */
export function faultTouched(m: Model, c: Conn): Op | undefined {
  const from = c.ok.index;
  const to = c.end?.index ?? m.endIndex;
  return m.faults.find(
    (f) =>
      f.index >= from &&
      f.index <= to + 1 &&
      (f.value.clientId === undefined || f.value.clientId === c.process) &&
      (f.value.packet === 'disconnect' ||
        LINK_BREAKING.test(String(f.value.action ?? '')) ||
        LINK_BREAKING.test(String(f.value.toxic ?? ''))),
  );
}

/** Was the session connected without a break from index `from` to the end of the history? */
function connectedFrom(s: Session, from: number): boolean {
  return s.conns.some((c) => c.ok.index < from && c.endKind === 'open');
}

function findWill(m: Model, opts: WillOptions): Findings {
  const t = new Tally();
  const subscribers = subscribingSessions(m);
  for (const c of m.conns) {
    const w = c.invoke.value.will;
    if (w === undefined) continue;
    const receipts = (m.recvByMsg.get(w.msgId) ?? []).filter((r) => r.op.process !== c.process);
    if (c.endKind === 'open') continue;
    const item = `will:${w.msgId}`;
    if (c.endKind === 'uncertain') {
      t.undecided(item, 'connection end uncertain (a DISCONNECT may or may not have arrived)', w.msgId);
      continue;
    }
    if (typeof w.delay === 'number' && w.delay > 0) {
      t.undecided(item, 'will delay interval set (not judged)', w.msgId);
      continue;
    }
    if (c.endKind === 'graceful') {
      if (receipts.length === 0) {
        t.held(item);
        continue;
      }
      if (faultTouched(m, c) !== undefined) {
        t.undecided(item, 'a fault may have eaten the DISCONNECT', w.msgId);
        continue;
      }
      const r = receipts[0];
      const subs = r.session ? r.session.subs.filter((x) => topicMatches(x.filter, w.topic)) : [];
      t.violated(item, {
        key: `will-after-disconnect:${w.msgId}`,
        message: `${c.process} disconnected normally (op #${c.end!.index}) yet its will ${w.msgId} on "${w.topic}" reached ${r.op.process} (op #${r.op.index})`,
        ops: [c.invoke, c.ok, c.end!, ...subscriptionOps(subs), r.op],
      });
      continue;
    }
    // Ungraceful end: every subscriber that was listening then and stayed connected must get it.
    const end = c.end!;
    const keepAliveMs = (c.invoke.value.keepAlive ?? 60) * 1000;
    const deadline = end.time + 1.5 * keepAliveMs + (opts.graceMs ?? 1000);
    for (const s of subscribers) {
      if (s.process === c.process) continue;
      const subs = s.subs.filter(
        (x) => x.ok.index < end.index && x.end === undefined && topicMatches(x.filter, w.topic),
      );
      if (subs.length === 0) continue;
      const pair = `${w.msgId}->${s.process}#${s.id}`;
      if (receipts.some((r) => r.session === s)) {
        t.held(pair);
        continue;
      }
      if (!connectedFrom(s, end.index)) {
        t.undecided(pair, 'subscriber not connected throughout', pair);
        continue;
      }
      if (m.endTime < deadline) {
        t.undecided(pair, 'history ended before 1.5 x keep-alive had passed', pair);
        continue;
      }
      if (m.missingOps > 0) {
        t.undecided(pair, `history incomplete (${m.missingOps} op(s) missing)`, pair);
        continue;
      }
      t.violated(pair, {
        key: `will-missing:${w.msgId}->${s.process}#${s.id}`,
        message: `${c.process} dropped without DISCONNECT (op #${end.index}) but its will ${w.msgId} on "${w.topic}" never reached ${s.process}`,
        ops: [c.invoke, c.ok, end, ...subscriptionOps(subs)],
      });
    }
  }
  return t.findings();
}

export const willSpec: CheckerSpec = {
  name: 'last-will',
  noun: 'will/subscriber pairs',
  statements: (v) =>
    v === '5.0'
      ? [ref50('MQTT-3.1.2-8'), ref50('MQTT-3.1.2-10'), ref50('MQTT-3.14.4-3')]
      : [ref311('MQTT-3.1.2-8'), ref311('MQTT-3.1.2-10'), ref311('MQTT-3.14.4-3')],
  find: (m, o) => findWill(m, o as WillOptions),
};

export const checkWill = (h: History, o?: WillOptions): CheckResult => runChecker(willSpec, h, o);
