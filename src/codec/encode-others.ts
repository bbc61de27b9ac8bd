import type {
  AckPacket,
  AuthPacket,
  DisconnectPacket,
  ProtocolLevel,
  SubackPacket,
  SubscribePacket,
  UnsubackPacket,
  UnsubscribePacket,
} from './packet-types.ts';
import { varintLength, writeU16, writeUtf8 } from './primitives.ts';
import { propertiesLength, writeProperties } from './properties.ts';
import { allocPacket, assertFilled, checkU16, checkU8, EncodeError, strLen } from './encode-common.ts';

const ACK_BYTE0 = { puback: 0x40, pubrec: 0x50, pubrel: 0x62, pubcomp: 0x70 } as const;

/**
 * PUBACK / PUBREC / PUBREL / PUBCOMP. At 5.0 reason code and property length are omitted
 * when the code is 0 and there are no properties; otherwise both are written (length 0 if none).
 */
export function encodeAck(p: AckPacket<'puback' | 'pubrec' | 'pubrel' | 'pubcomp'>, level: ProtocolLevel): Buffer {
  const name = p.type.toUpperCase();
  const id = checkU16(p.packetId, `${name} packetId`);
  const code = checkU8(p.reasonCode ?? 0, `${name} reasonCode`);
  const plen = level === 5 ? propertiesLength(p.properties) : 0;
  const withCode = level === 5 && (code !== 0 || plen > 0);
  const rl = 2 + (withCode ? 1 + varintLength(plen) + plen : 0);
  const { buf, off: start } = allocPacket(ACK_BYTE0[p.type], rl, name);
  let off = writeU16(buf, start, id);
  if (withCode) {
    buf[off++] = code;
    off = writeProperties(buf, off, p.properties, plen);
  }
  return assertFilled(buf, off, name);
}

/** SUBSCRIBE (3.8): options byte carries 5.0 flags only at level 5. */
export function encodeSubscribe(p: SubscribePacket, level: ProtocolLevel): Buffer {
  const id = checkU16(p.packetId, 'SUBSCRIBE packetId');
  if (!Array.isArray(p.subscriptions)) throw new EncodeError('SUBSCRIBE subscriptions', 'expected an array');
  const lens = p.subscriptions.map((s, i) => strLen(s.topicFilter, `SUBSCRIBE subscriptions[${i}].topicFilter`));
  let rl = 2;
  for (const n of lens) rl += 3 + n;
  const plen = level === 5 ? propertiesLength(p.properties) : 0;
  if (level === 5) rl += varintLength(plen) + plen;
  const { buf, off: start } = allocPacket(0x82, rl, 'SUBSCRIBE');
  let off = writeU16(buf, start, id);
  if (level === 5) off = writeProperties(buf, off, p.properties, plen);
  p.subscriptions.forEach((s, i) => {
    off = writeUtf8(buf, off, s.topicFilter, lens[i]);
    let o = s.qos & 3;
    if (level === 5) o |= (s.noLocal ? 4 : 0) | (s.retainAsPublished ? 8 : 0) | (((s.retainHandling ?? 0) & 3) << 4);
    buf[off++] = o;
  });
  return assertFilled(buf, off, 'SUBSCRIBE');
}

/** SUBACK (3.9) and UNSUBACK (3.11; codes only at 5.0). */
export function encodeSuback(p: SubackPacket | UnsubackPacket, level: ProtocolLevel): Buffer {
  const name = p.type.toUpperCase();
  const id = checkU16(p.packetId, `${name} packetId`);
  const codes = p.type === 'suback' || level === 5 ? (p.reasonCodes ?? []) : [];
  codes.forEach((c, i) => checkU8(c, `${name} reasonCodes[${i}]`));
  const plen = level === 5 ? propertiesLength(p.properties) : 0;
  const rl = 2 + codes.length + (level === 5 ? varintLength(plen) + plen : 0);
  const { buf, off: start } = allocPacket(p.type === 'suback' ? 0x90 : 0xb0, rl, name);
  let off = writeU16(buf, start, id);
  if (level === 5) off = writeProperties(buf, off, p.properties, plen);
  for (const c of codes) buf[off++] = c;
  return assertFilled(buf, off, name);
}

/** UNSUBSCRIBE (3.10). */
export function encodeUnsubscribe(p: UnsubscribePacket, level: ProtocolLevel): Buffer {
  const id = checkU16(p.packetId, 'UNSUBSCRIBE packetId');
  if (!Array.isArray(p.topicFilters)) throw new EncodeError('UNSUBSCRIBE topicFilters', 'expected an array');
  const lens = p.topicFilters.map((f, i) => strLen(f, `UNSUBSCRIBE topicFilters[${i}]`));
  let rl = 2;
  for (const n of lens) rl += 2 + n;
  const plen = level === 5 ? propertiesLength(p.properties) : 0;
  if (level === 5) rl += varintLength(plen) + plen;
  const { buf, off: start } = allocPacket(0xa2, rl, 'UNSUBSCRIBE');
  let off = writeU16(buf, start, id);
  if (level === 5) off = writeProperties(buf, off, p.properties, plen);
  p.topicFilters.forEach((f, i) => {
    off = writeUtf8(buf, off, f, lens[i]);
  });
  return assertFilled(buf, off, 'UNSUBSCRIBE');
}

/** DISCONNECT / AUTH: empty before 5.0; at 5.0 reason code and properties omitted when possible. */
export function encodeDisconnectOrAuth(p: DisconnectPacket | AuthPacket, level: ProtocolLevel): Buffer {
  const name = p.type.toUpperCase();
  const byte0 = p.type === 'disconnect' ? 0xe0 : 0xf0;
  if (level < 5) {
    if (p.type === 'auth') throw new EncodeError('AUTH', `AUTH does not exist at protocol level ${level}`);
    return allocPacket(byte0, 0, name).buf;
  }
  const code = checkU8(p.reasonCode ?? 0, `${name} reasonCode`);
  const plen = propertiesLength(p.properties);
  const rl = code === 0 && plen === 0 ? 0 : 1 + varintLength(plen) + plen;
  const { buf, off: start } = allocPacket(byte0, rl, name);
  let off = start;
  if (rl > 0) {
    buf[off++] = code;
    off = writeProperties(buf, off, p.properties, plen);
  }
  return assertFilled(buf, off, name);
}
