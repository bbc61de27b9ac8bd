import type { ConnackPacket, ConnectPacket, ProtocolLevel } from './packet-types.ts';
import { varintLength, writeBinary, writeU16, writeUtf8 } from './primitives.ts';
import { propertiesLength, writeProperties } from './properties.ts';
import { allocPacket, assertFilled, binLen, checkU16, checkU8, EncodeError, strLen } from './encode-common.ts';

/** CONNECT (3.1). Field presence follows the packet: flags are derived from it. */
export function encodeConnect(p: ConnectPacket, level: ProtocolLevel): Buffer {
  const name = p.protocolName ?? (level === 3 ? 'MQIsdp' : 'MQTT');
  const nameLen = strLen(name, 'CONNECT protocolName');
  const rawLevel = checkU8(p.protocolLevel ?? level, 'CONNECT protocolLevel');
  const keepAlive = checkU16(p.keepAlive ?? 0, 'CONNECT keepAlive');
  const idLen = strLen(p.clientId ?? '', 'CONNECT clientId');
  const v5 = level === 5;
  let rl = 2 + nameLen + 1 + 1 + 2 + 2 + idLen;
  let plen = 0;
  if (v5) {
    plen = propertiesLength(p.properties);
    rl += varintLength(plen) + plen;
  }
  let flags = p.clean ? 0x02 : 0;
  const will = p.will;
  let wTopicLen = 0;
  let wPropLen = 0;
  if (will) {
    if (will.qos !== 0 && will.qos !== 1 && will.qos !== 2)
      throw new EncodeError('CONNECT will.qos', `expected 0, 1 or 2, got ${String(will.qos)}`);
    flags |= 0x04 | (will.qos << 3) | (will.retain ? 0x20 : 0);
    wTopicLen = strLen(will.topic, 'CONNECT will.topic');
    const wPayLen = binLen(will.payload, 'CONNECT will.payload');
    rl += 4 + wTopicLen + wPayLen;
    if (v5) {
      wPropLen = propertiesLength(will.properties);
      rl += varintLength(wPropLen) + wPropLen;
    }
  }
  let userLen = 0;
  if (p.username !== undefined) {
    flags |= 0x80;
    userLen = strLen(p.username, 'CONNECT username');
    rl += 2 + userLen;
  }
  if (p.password !== undefined) {
    flags |= 0x40;
    const passLen = binLen(p.password, 'CONNECT password');
    rl += 2 + passLen;
  }
  const { buf, off: start } = allocPacket(0x10, rl, 'CONNECT');
  let off = writeUtf8(buf, start, name, nameLen);
  buf[off++] = rawLevel;
  buf[off++] = flags;
  off = writeU16(buf, off, keepAlive);
  if (v5) off = writeProperties(buf, off, p.properties, plen);
  off = writeUtf8(buf, off, p.clientId ?? '', idLen);
  if (will) {
    if (v5) off = writeProperties(buf, off, will.properties, wPropLen);
    off = writeUtf8(buf, off, will.topic, wTopicLen);
    off = writeBinary(buf, off, will.payload);
  }
  if (p.username !== undefined) off = writeUtf8(buf, off, p.username, userLen);
  if (p.password !== undefined) off = writeBinary(buf, off, p.password);
  return assertFilled(buf, off, 'CONNECT');
}

/** CONNACK (3.2): flags, return/reason code, properties (5.0, always with a length). */
export function encodeConnack(p: ConnackPacket, level: ProtocolLevel): Buffer {
  const code = checkU8(p.reasonCode ?? 0, 'CONNACK reasonCode');
  let rl = 2;
  let plen = 0;
  if (level === 5) {
    plen = propertiesLength(p.properties);
    rl += varintLength(plen) + plen;
  }
  const { buf, off: start } = allocPacket(0x20, rl, 'CONNACK');
  let off = start;
  buf[off++] = p.sessionPresent ? 1 : 0;
  buf[off++] = code;
  if (level === 5) off = writeProperties(buf, off, p.properties, plen);
  return assertFilled(buf, off, 'CONNACK');
}
