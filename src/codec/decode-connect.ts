import { ref311, ref50 } from '../spec/types.ts';
import type { ConnectPacket, ProtocolLevel, QoS, Will } from './packet-types.ts';
import type { ProtocolViolation } from './violation.ts';
import type { Cursor } from './primitives.ts';
import { decodeProperties } from './properties.ts';
import { WILL } from './property-table.ts';
import { requirePresent, wildcardIndex } from './decode-common.ts';
import { MALFORMED, PROTOCOL_ERROR, TOPIC_NAME_INVALID, UNSUPPORTED_PROTOCOL } from './violations.ts';

/**
 * The protocol level a CONNECT speaks, read from its own variable header, so that its
 * violations cite the right version. Unreadable or unknown levels: >= 5 cites 5.0, else 3.1.1.
 */
export function peekConnectLevel(frame: Buffer, fallback: ProtocolLevel): ProtocolLevel {
  const h = peekConnectHeader(frame);
  return h?.level === undefined ? fallback : toLevel(h.level);
}

/**
 * The protocol level byte and the Connect Flags byte of bytes that start a CONNECT, read
 * without decoding the rest (for raw bytes a test sends, which may be malformed on purpose);
 * undefined when they are not a CONNECT or too short to say.
 */
export function peekConnectHeader(frame: Buffer): { level: number; flags?: number } | undefined {
  if (frame.length < 2 || frame[0] >> 4 !== 1) return undefined;
  let i = 1;
  while (i < frame.length && i < 5 && (frame[i] & 0x80) !== 0) i++;
  const nameAt = i + 1;
  if (nameAt + 2 > frame.length) return undefined;
  const levelAt = nameAt + 2 + ((frame[nameAt] << 8) | frame[nameAt + 1]);
  if (levelAt >= frame.length) return undefined;
  return { level: frame[levelAt], ...(levelAt + 1 < frame.length ? { flags: frame[levelAt + 1] } : {}) };
}

const toLevel = (raw: number): ProtocolLevel => (raw >= 5 ? 5 : raw <= 3 ? (raw === 3 ? 3 : 4) : 4);

function unsupported(cur: Cursor, raw: number, name: string, message: string, byName: boolean, at: number): undefined {
  const statement =
    raw >= 5 ? ref50(byName ? 'MQTT-3.1.2-1' : 'MQTT-3.1.2-2') : ref311(byName ? 'MQTT-3.1.2-1' : 'MQTT-3.1.2-2');
  const v: ProtocolViolation = {
    kind: 'protocol-violation',
    statement,
    message: `CONNECT: ${message} (protocol name ${JSON.stringify(name)}, level ${raw})`,
    reasonCode: UNSUPPORTED_PROTOCOL,
    packetType: 1,
    offset: at,
    unsupportedProtocol: true,
  };
  if (!cur.err) cur.err = v;
  return undefined;
}

/** CONNECT (3.1): variable header, flags, properties (5.0), then the payload fields in order. */
export function decodeConnect(cur: Cursor): ConnectPacket | undefined {
  if (!requirePresent(cur, 'Protocol Name', 'MQTT-3.1.2-1', 'MQTT-3.1.2-1')) return undefined;
  const nameAt = cur.pos;
  const protocolName = cur.utf8('Protocol Name');
  if (protocolName === undefined) return undefined;
  const levelAt = cur.pos;
  const raw = cur.u8('Protocol Level');
  if (raw < 0) return undefined;
  if (protocolName !== 'MQTT' && protocolName !== 'MQIsdp') {
    return unsupported(cur, raw, protocolName, 'unknown protocol name', true, nameAt);
  }
  if (protocolName === 'MQTT' ? raw !== 4 && raw !== 5 : raw !== 3) {
    return unsupported(cur, raw, protocolName, 'unsupported protocol level', protocolName === 'MQIsdp', levelAt);
  }
  const level = raw as ProtocolLevel;
  cur.level = level;
  const flagsAt = cur.pos;
  const flags = cur.u8('Connect Flags');
  if (flags < 0) return undefined;
  if (flags & 1)
    return cur.fail('MQTT-3.1.2-3', 'MQTT-3.1.2-3', 'reserved bit 0 of the Connect Flags is set', MALFORMED, flagsAt);
  const hasWill = (flags & 0x04) !== 0;
  const willQos = (flags >> 3) & 3;
  const willRetain = (flags & 0x20) !== 0;
  const hasPassword = (flags & 0x40) !== 0;
  const hasUsername = (flags & 0x80) !== 0;
  if (!hasWill && willQos !== 0)
    return cur.fail(
      'MQTT-3.1.2-13',
      'MQTT-3.1.2-11',
      `Will QoS is ${willQos} but the Will Flag is 0`,
      MALFORMED,
      flagsAt,
    );
  if (!hasWill && willRetain)
    return cur.fail('MQTT-3.1.2-15', 'MQTT-3.1.2-13', 'Will Retain is set but the Will Flag is 0', MALFORMED, flagsAt);
  if (willQos === 3) return cur.fail('MQTT-3.1.2-14', 'MQTT-3.1.2-12', 'Will QoS is 3', MALFORMED, flagsAt);
  if (level < 5 && hasPassword && !hasUsername)
    return cur.fail('MQTT-3.1.2-22', null, 'Password Flag is set but the User Name Flag is 0', MALFORMED, flagsAt);
  const keepAlive = cur.u16('Keep Alive');
  if (keepAlive < 0) return undefined;
  const packet: ConnectPacket = {
    type: 'connect',
    protocolName,
    protocolLevel: level,
    clean: (flags & 2) !== 0,
    keepAlive,
    clientId: '',
  };
  if (level === 5) {
    const props = decodeProperties(cur, 1);
    if (cur.err) return undefined;
    if (props) {
      if (props.authenticationData && props.authenticationMethod === undefined) {
        return cur.fail(
          null,
          null,
          'Authentication Data without an Authentication Method',
          PROTOCOL_ERROR,
          flagsAt + 3,
        );
      }
      packet.properties = props;
    }
  }
  if (!requirePresent(cur, 'Client Identifier', 'MQTT-3.1.3-3', 'MQTT-3.1.3-3')) return undefined;
  const clientId = cur.utf8('Client Identifier');
  if (clientId === undefined) return undefined;
  packet.clientId = clientId;
  if (hasWill) {
    const will = decodeWill(cur, willQos as QoS, willRetain);
    if (!will) return undefined;
    packet.will = will;
  }
  if (hasUsername) {
    if (!requirePresent(cur, 'User Name', 'MQTT-3.1.2-19', 'MQTT-3.1.2-17')) return undefined;
    const username = cur.utf8('User Name');
    if (username === undefined) return undefined;
    packet.username = username;
  }
  if (hasPassword) {
    if (!requirePresent(cur, 'Password', 'MQTT-3.1.2-21', 'MQTT-3.1.2-19')) return undefined;
    const password = cur.binary('Password');
    if (password === undefined) return undefined;
    packet.password = password;
  }
  if (cur.pos < cur.end) {
    const extra = `${cur.end - cur.pos} unexpected byte(s) after the last field at offset ${cur.pos}`;
    if (!hasUsername)
      return cur.fail(
        'MQTT-3.1.2-18',
        'MQTT-3.1.2-16',
        `${extra}; the User Name Flag is 0 so no User Name may follow`,
        MALFORMED,
      );
    if (!hasPassword)
      return cur.fail(
        'MQTT-3.1.2-20',
        'MQTT-3.1.2-18',
        `${extra}; the Password Flag is 0 so no Password may follow`,
        MALFORMED,
      );
    return cur.fail('MQTT-3.1.3-1', 'MQTT-3.1.3-1', extra, MALFORMED);
  }
  return packet;
}

function decodeWill(cur: Cursor, qos: QoS, retain: boolean): Will | undefined {
  let properties;
  if (cur.level === 5) {
    if (!requirePresent(cur, 'Will Properties', null, 'MQTT-3.1.2-9')) return undefined;
    properties = decodeProperties(cur, WILL);
    if (cur.err) return undefined;
  }
  if (!requirePresent(cur, 'Will Topic', 'MQTT-3.1.2-9', 'MQTT-3.1.2-9')) return undefined;
  const topicAt = cur.pos;
  const topic = cur.utf8('Will Topic');
  if (topic === undefined) return undefined;
  if (topic.length === 0)
    return cur.fail('MQTT-4.7.3-1', 'MQTT-4.7.3-1', 'Will Topic is empty', PROTOCOL_ERROR, topicAt);
  const w = wildcardIndex(topic);
  if (w >= 0)
    return cur.fail(
      'MQTT-4.7.1-1',
      'MQTT-4.7.0-1',
      `Will Topic ${JSON.stringify(topic)} contains wildcard '${topic[w]}'`,
      TOPIC_NAME_INVALID,
      topicAt + 2 + w,
    );
  if (!requirePresent(cur, 'Will Payload', 'MQTT-3.1.2-9', 'MQTT-3.1.2-9')) return undefined;
  const payload = cur.binary('Will Payload');
  if (payload === undefined) return undefined;
  const will: Will = { topic, payload, qos, retain };
  if (properties) will.properties = properties;
  return will;
}
