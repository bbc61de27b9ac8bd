/**
 * The record format of the durable log (file-persistence.ts): one JSON object per line, each a
 * mutation of the persisted state, and messages with their binary parts in base64. `applyRecord`
 * replays one record into a MemoryState.
 */
import type { Properties } from '../codec/packet-types.ts';
import type { Message } from './message.ts';
import type { MemoryState, OutboundRecord, SessionRecord } from './persistence.ts';

export type Rec =
  | { t: 's'; r: SessionRecord }
  | { t: 'sd'; c: string }
  | { t: 'o'; c: string; o: unknown }
  | { t: 'od'; c: string; s: number }
  | { t: 'i'; c: string; p: number }
  | { t: 'id'; c: string; p: number }
  | { t: 'r'; m: unknown }
  | { t: 'rd'; k: string };

export function applyRecord(state: MemoryState, rec: Rec): void {
  switch (rec.t) {
    case 's':
      return state.putSession(
        rec.r.will
          ? { ...rec.r, will: { ...rec.r.will, msg: decodeMsg(rec.r.will.msg as unknown as EncodedMsg) } }
          : rec.r,
      );
    case 'sd':
      return state.deleteSession(rec.c);
    case 'o': {
      const o = rec.o as OutboundRecord & { msg: EncodedMsg };
      return state.putOutbound(rec.c, { ...o, msg: decodeMsg(o.msg) });
    }
    case 'od':
      return state.removeOutbound(rec.c, rec.s);
    case 'i':
      return state.addInbound(rec.c, rec.p);
    case 'id':
      return state.removeInbound(rec.c, rec.p);
    case 'r':
      return state.setRetained(decodeMsg(rec.m as EncodedMsg));
    case 'rd':
      return state.clearRetained(rec.k);
  }
}

export interface EncodedMsg {
  topic: string;
  payload: string;
  qos: Message['qos'];
  retain: boolean;
  properties?: Record<string, unknown>;
  expiresAt?: number;
  publisher?: string;
}

export function encodeMsg(m: Message): EncodedMsg {
  let properties: Record<string, unknown> | undefined;
  if (m.properties) {
    properties = { ...m.properties };
    if (m.properties.correlationData)
      properties.correlationData = { $b: m.properties.correlationData.toString('base64') };
  }
  return {
    topic: m.topic,
    payload: m.payload.toString('base64'),
    qos: m.qos,
    retain: m.retain,
    properties,
    expiresAt: m.expiresAt,
    publisher: m.publisher,
  };
}

export function decodeMsg(e: EncodedMsg): Message {
  let properties: Properties | undefined;
  if (e.properties) {
    const p = { ...e.properties } as Record<string, unknown>;
    const cd = p.correlationData as { $b: string } | undefined;
    if (cd) p.correlationData = Buffer.from(cd.$b, 'base64');
    properties = p as Properties;
  }
  const m: Message = { topic: e.topic, payload: Buffer.from(e.payload, 'base64'), qos: e.qos, retain: e.retain };
  if (properties) m.properties = properties;
  if (e.expiresAt !== undefined) m.expiresAt = e.expiresAt;
  if (e.publisher !== undefined) m.publisher = e.publisher;
  return m;
}
