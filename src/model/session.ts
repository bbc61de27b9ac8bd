/**
 * Session Present (3.2.2): 0 after a clean start; with a resumed (CleanSession 0 / Clean Start 0)
 * connection, 1 exactly when the broker held a session for the client id. A session whose last
 * connection ended abruptly without persistence may or may not have ended before the next
 * CONNECT (the broker may see the CONNECT first: takeover), so either value is allowed then.
 */
import { cite } from './statements.ts';
import type { HEvent, ModelFinding, ModelOptions } from './types.ts';
import { persistentConn } from './world.ts';

export function checkSessionPresent(h: readonly HEvent[], o: ModelOptions, out: ModelFinding[]): void {
  const v5 = o.version === '5.0';
  const state = new Map<string, 'none' | 'exists' | 'maybe'>();
  const connOf = new Map<number, { clientId: string; persistent: boolean; idx: number }>();
  h.forEach((e, idx) => {
    if (e.k === 'connect') {
      if (e.reasonCode !== 0) return;
      const st = e.clean ? 'none' : (state.get(e.clientId) ?? 'none');
      const key = `sp:${e.clientId}:${idx}`;
      if (e.clean && e.sessionPresent) {
        out.push({
          family: 'session',
          key,
          statements: cite('sessionPresentClean', o.version),
          events: [idx],
          about: { kind: 'session-present', clientId: e.clientId, allowed: 0 },
          message: `${e.clientId}: CONNACK of a clean start has Session Present 1`,
        });
      } else if (!e.clean && st === 'exists' && !e.sessionPresent) {
        out.push({
          family: 'session',
          key,
          statements: cite('sessionPresentResume', o.version),
          events: [idx],
          about: { kind: 'session-present', clientId: e.clientId, allowed: 1 },
          message: `${e.clientId}: the broker held a persistent session for this client id, but the CONNACK says Session Present 0`,
        });
      } else if (!e.clean && st === 'none' && e.sessionPresent) {
        out.push({
          family: 'session',
          key,
          statements: cite('sessionPresentNew', o.version),
          events: [idx],
          about: { kind: 'session-present', clientId: e.clientId, allowed: 0 },
          message: `${e.clientId}: no session existed for this client id, but the CONNACK says Session Present 1`,
        });
      }
      state.set(e.clientId, 'exists');
      connOf.set(e.conn, { clientId: e.clientId, persistent: persistentConn(e, v5), idx });
      return;
    }
    if (e.k === 'disconnect' || e.k === 'closed') {
      const c = connOf.get(e.conn);
      if (!c) return;
      connOf.delete(e.conn);
      state.set(c.clientId, c.persistent ? 'exists' : e.k === 'disconnect' && !e.abrupt ? 'none' : 'maybe');
    }
  });
}
