/**
 * What a run's clients do with what the broker sends: record every PUBLISH received and
 * acknowledge it (acks leave in small batches, so the broker's in-flight window is visible),
 * complete their own QoS 1 / 2 PUBLISHes, and notice a connection the broker closed.
 */
import type { Packet, PublishPacket } from '../codec/packet-types.ts';
import { now, type ClientState, type RunContext } from './run-context.ts';

export function flushAcks(ctx: RunContext, c: ClientState): void {
  if (c.ackTimer) {
    clearTimeout(c.ackTimer);
    c.ackTimer = undefined;
  }
  const q = c.ackQueue.splice(0);
  if (!c.tc || c.tc.closed) return;
  for (const a of q) {
    c.tc.send(a);
    if (a.type === 'puback') ctx.h.push({ k: 'ack', t: now(), conn: c.conn, packetId: a.packetId });
  }
}
export function queueAck(ctx: RunContext, c: ClientState, a: Packet): void {
  c.ackQueue.push(a);
  c.ackTimer ??= setTimeout(() => {
    c.ackTimer = undefined;
    flushAcks(ctx, c);
  }, 1);
}
export const onPacket =
  (ctx: RunContext, c: ClientState, conn: number) =>
  (pk: Packet): boolean => {
    if (c.conn !== conn || ctx.finished) return true;
    switch (pk.type) {
      case 'publish': {
        const pl = pk as PublishPacket;
        ctx.h.push({
          k: 'receive',
          t: now(),
          conn,
          topic: pl.topic,
          msg: pl.payload.length > 0 ? pl.payload.toString() : undefined,
          qos: pl.qos,
          retain: pl.retain,
          dup: pl.dup,
          packetId: pl.packetId,
          subIds: pl.properties?.subscriptionIdentifiers,
        });
        if (pl.qos === 1) queueAck(ctx, c, { type: 'puback', packetId: pl.packetId! });
        if (pl.qos === 2) {
          c.inQos2.add(pl.packetId!);
          queueAck(ctx, c, { type: 'pubrec', packetId: pl.packetId! });
        }
        return true;
      }
      case 'pubrel':
        c.inQos2.delete(pk.packetId);
        c.tc?.send({ type: 'pubcomp', packetId: pk.packetId });
        ctx.h.push({ k: 'ack', t: now(), conn, packetId: pk.packetId });
        return true;
      case 'puback':
      case 'pubcomp': {
        const w = c.out.get(pk.packetId);
        if (w) {
          c.out.delete(pk.packetId);
          if ((pk.reasonCode ?? 0) < 0x80) ctx.h.push({ k: 'published', t: now(), conn, msg: w.msg });
          w.resolve();
          c.wake?.();
        }
        return true;
      }
      case 'pubrec': {
        const w = c.out.get(pk.packetId);
        if (w && (pk.reasonCode ?? 0) >= 0x80) {
          c.out.delete(pk.packetId);
          w.resolve();
          c.wake?.();
          return true;
        }
        c.tc?.send({ type: 'pubrel', packetId: pk.packetId });
        return true;
      }
      default:
        return false;
    }
  };
export function noteClosed(ctx: RunContext, c: ClientState): void {
  if (c.tc && c.tc.closed && !c.tc.closeInfo!.byUs && !c.closedRecorded) {
    c.closedRecorded = true;
    ctx.h.push({ k: 'closed', t: now(), conn: c.conn });
    ctx.notes.push(`${c.name}: the broker closed the connection`);
  }
}
export function connected(ctx: RunContext, c: ClientState): boolean {
  noteClosed(ctx, c);
  return c.tc !== undefined && !c.tc.closed && !c.tc.closing;
}
