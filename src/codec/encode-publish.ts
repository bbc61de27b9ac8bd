import type { ProtocolLevel, PublishPacket } from './packet-types.ts';
import { VARINT_MAX, varintLength, writeVarint } from './primitives.ts';
import { propertiesLength, writeProperties } from './properties.ts';
import { EncodeError, checkU16 } from './encode-common.ts';

/** PUBLISH: computes the size first, then fills one Buffer.allocUnsafe. */
export function encodePublish(p: PublishPacket, level: ProtocolLevel): Buffer {
  const topic = p.topic;
  if (typeof topic !== 'string') throw new EncodeError('PUBLISH topic', 'expected a string');
  const qos = p.qos;
  if (qos !== 0 && qos !== 1 && qos !== 2)
    throw new EncodeError('PUBLISH qos', `expected 0, 1 or 2, got ${String(qos)}`);
  const payload = p.payload;
  if (!(payload instanceof Uint8Array)) throw new EncodeError('PUBLISH payload', 'expected a Buffer');
  const tlen = Buffer.byteLength(topic);
  if (tlen > 65535) throw new EncodeError('PUBLISH topic', `UTF-8 string of ${tlen} bytes exceeds 65535`);
  let rl = 2 + tlen + payload.length;
  let packetId = 0;
  if (qos > 0) {
    if (p.packetId === undefined) throw new EncodeError('PUBLISH packetId', `required for QoS ${qos}`);
    packetId = checkU16(p.packetId, 'PUBLISH packetId');
    rl += 2;
  }
  let plen = 0;
  if (level === 5) {
    plen = p.properties ? propertiesLength(p.properties) : 0;
    rl += plen + varintLength(plen);
  }
  if (rl > VARINT_MAX) throw new EncodeError('PUBLISH Remaining Length', `${rl} exceeds ${VARINT_MAX}`);
  const buf = Buffer.allocUnsafe(1 + (rl < 128 ? 1 : rl < 16_384 ? 2 : rl < 2_097_152 ? 3 : 4) + rl);
  buf[0] = 0x30 | (p.dup ? 8 : 0) | (qos << 1) | (p.retain ? 1 : 0);
  let off = rl < 128 ? ((buf[1] = rl), 2) : writeVarint(buf, 1, rl);
  buf[off] = tlen >>> 8;
  buf[off + 1] = tlen & 0xff;
  off += 2;
  if (tlen === topic.length && tlen < 64) {
    for (let i = 0; i < tlen; i++) buf[off + i] = topic.charCodeAt(i);
  } else {
    buf.write(topic, off, tlen, 'utf8');
  }
  off += tlen;
  if (qos > 0) {
    buf[off] = packetId >>> 8;
    buf[off + 1] = packetId & 0xff;
    off += 2;
  }
  if (level === 5) {
    if (plen === 0) buf[off++] = 0;
    else off = writeProperties(buf, off, p.properties, plen);
  }
  buf.set(payload, off);
  return buf;
}
