/**
 * Hot-path PUBLISH encoding. One message routed to many clients is encoded once per distinct
 * variant (protocol level 5 or not, QoS>0 or not, retain, subscription ids, remaining expiry);
 * QoS>0 copies get their packet id (and DUP) patched into a copy of the cached bytes.
 */
import { bodyOffset, encodePacket } from '../codec/index.ts';
import type { Properties, PublishPacket, QoS } from '../codec/packet-types.ts';
import { remainingExpiry, type Message } from './message.ts';

export class PublishCache {
  private msg: Message | null = null;
  private readonly variants = new Map<string, Buffer>();
  /** Plain variants (no subscription ids, no expiry) by (level5, qos, retain): no key strings on the hot path. */
  private readonly plain: (Buffer | undefined)[] = new Array(12).fill(undefined);

  /** Bytes of the PUBLISH (packet id placeholder for QoS>0: copy with withPacketId before sending). Shared: do not mutate. */
  encode(msg: Message, qos: QoS, retain: boolean, subIds: number[] | undefined, level5: boolean, now: number): Buffer {
    if (msg !== this.msg) {
      this.msg = msg;
      if (this.variants.size > 0) this.variants.clear();
      this.plain.fill(undefined);
    }
    if (subIds === undefined && (msg.expiresAt === undefined || !level5)) {
      const i = (level5 ? 6 : 0) + qos * 2 + (retain ? 1 : 0);
      return (this.plain[i] ??= encodeFresh(msg, qos, retain, undefined, level5, undefined));
    }
    const expiry = level5 ? remainingExpiry(msg, now) : undefined;
    const key = `${level5 ? 5 : 4}${qos}${retain ? 1 : 0}${subIds ? subIds.join(',') : ''}|${expiry ?? ''}`;
    let buf = this.variants.get(key);
    if (!buf) {
      buf = encodeFresh(msg, qos, retain, subIds, level5, expiry);
      if (this.variants.size < 64) this.variants.set(key, buf);
    }
    return buf;
  }
}

export function encodeFresh(
  msg: Message,
  qos: QoS,
  retain: boolean,
  subIds: number[] | undefined,
  level5: boolean,
  expiry: number | undefined,
  topicAlias?: { alias: number; sendTopic: boolean },
): Buffer {
  const p: PublishPacket = { type: 'publish', topic: msg.topic, payload: msg.payload, qos, retain, dup: false };
  if (qos > 0) p.packetId = 1;
  if (level5) {
    let props: Properties | undefined = msg.properties;
    if (subIds || expiry !== undefined || topicAlias) {
      props = { ...props };
      if (subIds) props.subscriptionIdentifiers = subIds;
      if (expiry !== undefined) props.messageExpiryInterval = expiry;
      if (topicAlias) {
        props.topicAlias = topicAlias.alias;
        if (!topicAlias.sendTopic) p.topic = '';
      }
    }
    if (props) p.properties = props;
  }
  return encodePacket(p, level5 ? 5 : 4);
}

/** Copy a cached QoS>0 PUBLISH and set its packet id and DUP flag. */
export function withPacketId(cached: Buffer, packetId: number, dup: boolean): Buffer {
  const b = Buffer.allocUnsafe(cached.length);
  cached.copy(b);
  let i = bodyOffset(b);
  i += 2 + b.readUInt16BE(i);
  b.writeUInt16BE(packetId, i);
  if (dup) b[0] |= 0x08;
  return b;
}
