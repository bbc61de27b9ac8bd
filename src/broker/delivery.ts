/**
 * Server -> client PUBLISH delivery for one connection: encoding (shared cache or per-client
 * topic aliases), the client's Maximum Packet Size, slow-consumer dropping of QoS 0, packet ids
 * and DUP for QoS>0, persistence of first sends, and resumption after reconnect.
 */
import type { QoS } from '../codec/index.ts';
import { ConnState, type Conn } from './conn-api.ts';
import { OutState, remainingExpiry, type Message, type Outgoing } from './message.ts';
import { encodeFresh, withPacketId } from './publish-cache.ts';

/** Drop QoS 0 deliveries to a client whose socket has this much unsent data. */
const SLOW_CONSUMER_BYTES = 8 * 1024 * 1024;

/** A delivery the authorizer's read rule refuses (only checked for clients with checkReads: ACL deny rules). */
function readDenied(c: Conn, topic: string): boolean {
  if (c.ctx.authorizer!.authorize(c.info!, 'read', topic)) return false;
  c.ctx.logger.debug('delivery not authorized (read)', { clientId: c.clientId, topic });
  return true;
}

export function deliverQos0(c: Conn, msg: Message, retain: boolean, subIds: number[] | undefined): void {
  if (c.state !== ConnState.Connected) return;
  if (c.checkReads && readDenied(c, msg.topic)) return;
  const buf = encodePublish(c, msg, 0, retain, subIds);
  if (buf.length > c.clientMaxPacket || c.writableLength > SLOW_CONSUMER_BYTES) {
    c.ctx.stats.messagesDropped++;
    return;
  }
  commitAlias(c, msg.topic);
  c.write(buf);
  c.ctx.stats.messagesSent++;
}

export function deliverOutgoing(c: Conn, o: Outgoing): void {
  const s = c.session;
  if (!s || c.state !== ConnState.Connected) return;
  if (c.checkReads && readDenied(c, o.msg.topic)) {
    completeOutgoing(c, o); // never delivered to this client: as if acknowledged, releasing the window
    return;
  }
  const cached = encodePublish(c, o.msg, o.qos, o.retain, o.subIds);
  if (cached.length > c.clientMaxPacket) {
    // 3.1.2-25: too large to send -> behave as if delivery completed.
    c.ctx.stats.messagesDropped++;
    completeOutgoing(c, o);
    return;
  }
  const first = !o.sent;
  commitAlias(c, o.msg.topic);
  const bytes = withPacketId(cached, o.packetId, o.sent);
  o.sent = true;
  c.ctx.stats.messagesSent++;
  if (first && s.persistent) {
    c.fx.persist.putOutbound(s.clientId, o);
    // Crash safety (soak:crash): a QoS 2 PUBLISH goes out only once its packet id is on disk, else
    // after a kill -9 it is re-sent under another packet id and the receiver cannot see the duplicate.
    if (o.qos === 2 && c.ctx.persistence.durable) {
      c.afterDurable(() => c.write(bytes), ignoreFailure);
      return;
    }
  }
  c.write(bytes);
}

/** A failed sync leaves the QoS 2 PUBLISH unsent (it stays in flight and is resent on the next connection). */
function ignoreFailure(): void {}

/** After CONNACK on a resumed session: resend unacknowledged PUBLISH (DUP) and PUBREL in order (4.4.0-1), then queued. */
export function resumeDeliveries(c: Conn): void {
  const s = c.session!;
  const { resend, release } = s.out.resume(c.ctx.clock.now());
  for (const o of resend) {
    if (o.state === OutState.PubrelSent) c.sendPubrel(o.packetId);
    else deliverOutgoing(c, o);
  }
  c.sendReleased(release);
}

/** Finish an in-flight delivery without an ack from the client, releasing queued ones. */
function completeOutgoing(c: Conn, o: Outgoing): void {
  const s = c.session!;
  s.out.forget(o);
  if (s.persistent) c.fx.persist.removeOutbound(s.clientId, o.seq);
  c.sendReleased(s.out.drain(c.ctx.clock.now()));
}

/** Shared cached bytes, or (for a client taking topic aliases) bytes with an alias (3.3.2.3.4). */
function encodePublish(c: Conn, msg: Message, qos: QoS, retain: boolean, subIds: number[] | undefined): Buffer {
  const now = msg.expiresAt === undefined ? 0 : c.ctx.clock.now(); // read only for the remaining expiry
  c.pendingAlias = 0;
  if (c.aliasOutMax === 0) return c.ctx.pubCache.encode(msg, qos, retain, subIds, c.level5, now);
  const map = (c.aliasOut ??= new Map());
  let alias = map.get(msg.topic);
  let sendTopic = false;
  if (alias === undefined) {
    if (map.size >= c.aliasOutMax) return c.ctx.pubCache.encode(msg, qos, retain, subIds, true, now);
    alias = map.size + 1; // never above the client's maximum (3.3.2-11), never 0 (3.3.2-8)
    sendTopic = true;
    c.pendingAlias = alias;
  }
  return encodeFresh(msg, qos, retain, subIds, true, remainingExpiry(msg, now), { alias, sendTopic });
}

/** Record a new alias only once the PUBLISH that establishes it is actually written. */
function commitAlias(c: Conn, topic: string): void {
  if (c.pendingAlias !== 0) c.aliasOut!.set(topic, c.pendingAlias);
  c.pendingAlias = 0;
}
