import type { Id50 } from '../spec/types.ts';
import type {
  AckPacket,
  AuthPacket,
  ConnackPacket,
  DisconnectPacket,
  PingreqPacket,
  PingrespPacket,
} from './packet-types.ts';
import type { Cursor } from './primitives.ts';
import { decodeProperties } from './properties.ts';
import { isReasonCodeAllowed } from './reason-codes.ts';
import { readAckPacketId } from './decode-common.ts';
import type { From } from './decode-common.ts';
import { MALFORMED, PROTOCOL_ERROR } from './violations.ts';

const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

/** Read a 5.0 reason code and check it is one this packet type may use. */
function reasonCode(cur: Cursor, statement: Id50): number {
  const at = cur.pos;
  const code = cur.u8('Reason Code');
  if (code < 0) return -1;
  if (!isReasonCodeAllowed(cur.type, code)) {
    cur.fail(
      null,
      statement,
      `Reason Code ${hex(code)} at offset ${at} is not valid in ${cur.name}`,
      PROTOCOL_ERROR,
      at,
    );
    return -1;
  }
  return code;
}

const ACK_RULE: Record<number, Id50> = { 4: 'MQTT-3.4.2-1', 5: 'MQTT-3.5.2-1', 6: 'MQTT-3.6.2-1', 7: 'MQTT-3.7.2-1' };

/** PUBACK, PUBREC, PUBREL, PUBCOMP (3.4-3.7). At 5.0 reason code and properties may be omitted. */
export function decodeAck<T extends 'puback' | 'pubrec' | 'pubrel' | 'pubcomp'>(
  cur: Cursor,
  type: T,
): AckPacket<T> | undefined {
  const packetId = readAckPacketId(cur);
  if (packetId < 0) return undefined;
  const packet: AckPacket<T> = { type, packetId };
  if (cur.level === 5) {
    if (cur.pos === cur.end) {
      packet.reasonCode = 0;
      return packet;
    }
    const code = reasonCode(cur, ACK_RULE[cur.type]);
    if (code < 0) return undefined;
    packet.reasonCode = code;
    if (cur.pos < cur.end) {
      const props = decodeProperties(cur, cur.type);
      if (cur.err) return undefined;
      if (props) packet.properties = props;
    }
  }
  return packet;
}

/** CONNACK (3.2): acknowledge flags, return/reason code, properties (5.0). */
export function decodeConnack(cur: Cursor): ConnackPacket | undefined {
  const flagsAt = cur.pos;
  const flags = cur.u8('Connect Acknowledge Flags');
  if (flags < 0) return undefined;
  if (flags & 0xfe)
    return cur.fail(
      null,
      'MQTT-3.2.2-1',
      `reserved bits of the Connect Acknowledge Flags are set (${hex(flags)})`,
      MALFORMED,
      flagsAt,
    );
  const sessionPresent = (flags & 1) !== 0;
  const codeAt = cur.pos;
  let code: number;
  if (cur.level === 5) {
    code = reasonCode(cur, 'MQTT-3.2.2-8');
  } else {
    code = cur.u8('Connect Return Code');
    if (code > 5) return cur.fail(null, null, `Connect Return Code ${hex(code)} is reserved`, PROTOCOL_ERROR, codeAt);
  }
  if (code < 0) return undefined;
  if (sessionPresent && code !== 0) {
    return cur.fail(
      'MQTT-3.2.2-4',
      'MQTT-3.2.2-6',
      `Session Present is 1 with non-zero code ${hex(code)}`,
      PROTOCOL_ERROR,
      flagsAt,
    );
  }
  const packet: ConnackPacket = { type: 'connack', sessionPresent, reasonCode: code };
  if (cur.level === 5) {
    const props = decodeProperties(cur, 2);
    if (cur.err) return undefined;
    if (props) packet.properties = props;
  }
  return packet;
}

/** PINGREQ / PINGRESP: no variable header, no payload. */
export function decodeEmpty<T extends 'pingreq' | 'pingresp'>(
  _cur: Cursor,
  type: T,
): (PingreqPacket | PingrespPacket) & { type: T } {
  return { type } as (PingreqPacket | PingrespPacket) & { type: T };
}

/** DISCONNECT (3.14): empty before 5.0; at 5.0 optional reason code and properties. */
export function decodeDisconnect(cur: Cursor, from: From): DisconnectPacket | undefined {
  const packet: DisconnectPacket = { type: 'disconnect' };
  if (cur.level < 5) return packet;
  packet.reasonCode = 0;
  if (cur.pos === cur.end) return packet;
  const code = reasonCode(cur, 'MQTT-3.14.2-1');
  if (code < 0) return undefined;
  packet.reasonCode = code;
  if (cur.pos < cur.end) {
    const at = cur.pos;
    const props = decodeProperties(cur, 14);
    if (cur.err) return undefined;
    if (props) {
      if (from === 'server' && props.sessionExpiryInterval !== undefined) {
        return cur.fail(
          null,
          'MQTT-3.14.2-2',
          'a DISCONNECT from the server carries a Session Expiry Interval',
          PROTOCOL_ERROR,
          at,
        );
      }
      packet.properties = props;
    }
  }
  return packet;
}

/** AUTH (3.15, 5.0 only): optional reason code and properties. */
export function decodeAuth(cur: Cursor): AuthPacket | undefined {
  const packet: AuthPacket = { type: 'auth', reasonCode: 0 };
  if (cur.pos === cur.end) return packet;
  const code = reasonCode(cur, 'MQTT-3.15.2-1');
  if (code < 0) return undefined;
  packet.reasonCode = code;
  if (cur.pos < cur.end) {
    const props = decodeProperties(cur, 15);
    if (cur.err) return undefined;
    if (props) packet.properties = props;
  }
  return packet;
}
