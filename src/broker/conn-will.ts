/**
 * A connection's will at its end: handed out at most once, checked against the write rule,
 * given its Message Expiry; and at broker shutdown published at once through the core's route
 * action, unless durable persistence lets a delayed will wait across the restart.
 */
import { formatRef, ref311, ref50 } from '../spec/types.ts';
import { ConnState, type Conn } from './conn-api.ts';
import type { Message } from './message.ts';
import type { Session } from './session.ts';

/**
 * The will to publish now that the connection ends without a normal DISCONNECT, or null
 * (none, discarded by DISCONNECT 0x00, or not authorized). Hands it out at most once
 * (3.1.1 MQTT-3.1.2-10 / 5.0 MQTT-3.1.2-10). Used by ConnCore.cleanup() and at broker shutdown.
 */
export function takeWill(c: Conn): Message | null {
  const will = c.will;
  c.will = null;
  if (!will || c.discardWill) return null;
  const ctx = c.ctx;
  // The will is published on the client's behalf, so it needs the same write permission a PUBLISH would.
  if (ctx.authorizer && c.info && !ctx.authorizer.authorize(c.info, 'write', will.topic)) {
    ctx.logger.info('will not published: not authorized', { clientId: c.clientId, topic: will.topic });
    return null;
  }
  if (c.willExpiry !== undefined) will.expiresAt = ctx.clock.now() + c.willExpiry * 1000;
  return will;
}

/** At shutdown: a delayed will can wait across the restart (durable persistence, a session that persists). */
export function keepsDelayedWill(c: Conn, s: Session | null): boolean {
  return c.willDelay > 0 && c.ctx.persistence.durable && s !== null && s.persistent;
}

/** Broker shutdown (3.1.1 / 5.0 MQTT-3.1.2-8): a server-side close is not a DISCONNECT, so the will goes out now. */
export function publishWillAtShutdown(c: Conn): boolean {
  const s = c.session;
  if (c.state !== ConnState.Connected || !s || s.conn !== c) return false;
  // With durable persistence a delayed will of a session that outlives the connection waits on
  // (recorded with the session by cleanup(), published after the restart when due).
  if (keepsDelayedWill(c, s)) return false;
  const will = takeWill(c);
  if (!will) return false;
  const statement = formatRef(c.level5 ? ref50('MQTT-3.1.2-8') : ref311('MQTT-3.1.2-8'));
  c.ctx.logger.debug('publishing will at broker shutdown', { clientId: c.clientId, topic: will.topic, statement });
  c.fx.route(will); // the same path sessions.closed() takes for an undelayed will
  return true;
}
