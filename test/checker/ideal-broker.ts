/**
 * A tiny, obviously-correct broker model that turns a random script into a history a
 * correct broker could produce. Used by the property tests: checkers must never call
 * these histories invalid.
 */
import { HB } from './history-builder.ts';
import { topicMatches, type WillValue } from '../../src/checker/index.ts';

type Q = 0 | 1 | 2;
export type Step =
  | { k: 'pub'; who: number; topic: number; qos: Q; retain: boolean; outcome: 'ok' | 'info-lost' | 'info-arrived' }
  | { k: 'drop'; who: number; graceful: boolean }
  | { k: 'connect'; who: number }
  | { k: 'sub'; who: number; topic: number | '#' | 'will'; qos: Q }
  | { k: 'dupResend'; who: number };

interface SubState {
  filter: string;
  qos: Q;
}
interface Client {
  id: string;
  persistent: boolean;
  connected: boolean;
  subs: SubState[];
  queue: { msgId: string; topic: string; qos: Q }[];
  lastQos1?: { msgId: string; topic: string };
  will?: WillValue;
}

export const TOPICS = ['f/a', 'f/b', 'f/c'];

/** Deliberate broker bugs, to show the checkers can fail. */
export type Bug = 'lose-qos1' | 'dup-qos2' | 'stale-retained' | 'reorder' | 'no-will' | 'forget-session';

export function simulate(steps: Step[], nClients = 4, bug?: Bug): HB {
  const h = new HB();
  let routed = 0;
  const held = new Map<string, () => void>();
  const retained = new Map<string, { msgId: string; qos: Q }>();
  const clients: Client[] = [];
  let seq = 0;
  for (let i = 0; i < nClients; i++) {
    const c: Client = { id: `c${i}`, persistent: i % 2 === 0, connected: false, subs: [], queue: [] };
    clients.push(c);
    connect(c);
  }
  function deliver(c: Client, msgId: string, topic: string, qos: Q, retain = false): void {
    routed++;
    if (bug === 'lose-qos1' && qos === 1 && routed % 5 === 0) return;
    if (bug === 'reorder' && !retain && !held.has(c.id) && routed % 3 === 0) {
      held.set(c.id, () => h.recv(c.id, msgId, topic, qos, { retain }));
      return;
    }
    h.recv(c.id, msgId, topic, qos, { retain });
    held.get(c.id)?.();
    held.delete(c.id);
    if (bug === 'dup-qos2' && qos === 2) h.recv(c.id, msgId, topic, qos, { retain });
    if (qos === 1) c.lastQos1 = { msgId, topic };
  }
  function connect(c: Client): void {
    const present =
      bug !== 'forget-session' && c.persistent && h.ops.some((o) => o.process === c.id && o.f === 'connect');
    c.will = { topic: `will/${c.id}`, qos: 1, retain: false, msgId: `will-${c.id}-${seq++}` };
    h.connect(c.id, { clean: !c.persistent, persistent: c.persistent, present, will: c.will, keepAlive: 1 });
    c.connected = true;
    if (!c.persistent) c.subs = [];
    for (const m of c.queue) deliver(c, m.msgId, m.topic, m.qos);
    c.queue = [];
  }
  function route(msgId: string, topic: string, qos: Q, from: string): void {
    for (const c of clients) {
      const match = c.subs.filter((s) => topicMatches(s.filter, topic));
      if (match.length === 0) continue;
      const q = Math.min(qos, Math.max(...match.map((s) => s.qos))) as Q;
      if (c.connected) deliver(c, msgId, topic, q);
      else if (c.persistent && q > 0) c.queue.push({ msgId, topic, qos: q });
      void from;
    }
  }
  for (const s of steps) {
    const c = clients[s.who % clients.length];
    switch (s.k) {
      case 'pub': {
        if (!c.connected) break;
        const msgId = `m${seq++}`;
        const topic = TOPICS[s.topic % TOPICS.length];
        const arrived = s.outcome !== 'info-lost';
        h.publish(c.id, msgId, topic, s.qos, { retain: s.retain, done: 'open' });
        if (arrived) {
          if (s.retain && !(bug === 'stale-retained' && retained.has(topic)))
            retained.set(topic, { msgId, qos: s.qos });
          route(msgId, topic, s.qos, c.id);
        }
        h.finishPublish(msgId, s.qos === 0 || s.outcome !== 'ok' ? 'info' : 'ok');
        break;
      }
      case 'drop':
        if (!c.connected) break;
        if (s.graceful) h.disconnect(c.id);
        else h.drop(c.id);
        c.connected = false;
        if (!c.persistent) c.subs = [];
        if (!s.graceful && c.will && bug !== 'no-will') route(c.will.msgId, c.will.topic, c.will.qos, c.id);
        c.lastQos1 = undefined;
        break;
      case 'connect':
        if (!c.connected) connect(c);
        break;
      case 'sub': {
        if (!c.connected) break;
        const filter = s.topic === '#' ? 'f/#' : s.topic === 'will' ? 'will/#' : TOPICS[s.topic % TOPICS.length];
        if (c.subs.some((x) => x.filter === filter || topicMatches(x.filter, filter) || topicMatches(filter, x.filter)))
          break;
        h.subscribe(c.id, filter, s.qos);
        c.subs.push({ filter, qos: s.qos });
        for (const [t, r] of retained)
          if (topicMatches(filter, t)) h.recv(c.id, r.msgId, t, Math.min(r.qos, s.qos) as Q, { retain: true });
        break;
      }
      case 'dupResend':
        // A QoS 1 receiver may see the last message again (lost PUBACK, resent with DUP).
        if (c.connected && c.lastQos1) h.recv(c.id, c.lastQos1.msgId, c.lastQos1.topic, 1, { dup: true });
        break;
    }
  }
  for (const c of clients) if (!c.connected) connect(c);
  return h.wait(10_000);
}
