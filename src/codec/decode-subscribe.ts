import type {
  QoS,
  SubackPacket,
  SubscribePacket,
  Subscription,
  UnsubackPacket,
  UnsubscribePacket,
} from './packet-types.ts';
import type { Cursor } from './primitives.ts';
import { decodeProperties } from './properties.ts';
import { isReasonCodeAllowed, isSubackReturnCode311 } from './reason-codes.ts';
import { readAckPacketId, readNewPacketId } from './decode-common.ts';
import { MALFORMED, PROTOCOL_ERROR } from './violations.ts';

const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

/** Read a Topic Filter: UTF-8 checked and at least one character long. */
function topicFilter(cur: Cursor): string | undefined {
  const at = cur.pos;
  const f = cur.utf8('Topic Filter');
  if (f === undefined) return undefined;
  if (f.length === 0)
    return cur.fail('MQTT-4.7.3-1', 'MQTT-4.7.3-1', `Topic Filter at offset ${at} is empty`, PROTOCOL_ERROR, at);
  return f;
}

/** SUBSCRIBE (3.8): packet id, properties (5.0), then filter / options pairs (at least one). */
export function decodeSubscribe(cur: Cursor): SubscribePacket | undefined {
  const packetId = readNewPacketId(cur, 'client');
  if (packetId < 0) return undefined;
  const packet: SubscribePacket = { type: 'subscribe', packetId, subscriptions: [] };
  const v5 = cur.level === 5;
  if (v5) {
    const props = decodeProperties(cur, 8);
    if (cur.err) return undefined;
    if (props) packet.properties = props;
  }
  if (cur.pos === cur.end)
    return cur.fail('MQTT-3.8.3-3', 'MQTT-3.8.3-2', 'no Topic Filter in the payload', PROTOCOL_ERROR);
  while (cur.pos < cur.end) {
    const topic = topicFilter(cur);
    if (topic === undefined) return undefined;
    const at = cur.pos;
    const o = cur.u8('Subscription Options');
    if (o < 0) return undefined;
    const qos = o & 3;
    if (!v5) {
      if (o & 0xfc)
        return cur.fail(
          'MQTT-3.8.3-4',
          null,
          `reserved bits of the Requested QoS byte are set (${hex(o)}) at offset ${at}`,
          MALFORMED,
          at,
        );
      if (qos === 3) return cur.fail('MQTT-3.8.3-4', null, `Requested QoS is 3 at offset ${at}`, MALFORMED, at);
      packet.subscriptions.push({ topicFilter: topic, qos: qos as QoS });
      continue;
    }
    if (o & 0xc0)
      return cur.fail(
        null,
        'MQTT-3.8.3-5',
        `reserved bits 6-7 of the Subscription Options are set (${hex(o)}) at offset ${at}`,
        MALFORMED,
        at,
      );
    if (qos === 3)
      return cur.fail(null, null, `Maximum QoS is 3 in the Subscription Options at offset ${at}`, PROTOCOL_ERROR, at);
    const retainHandling = (o >> 4) & 3;
    if (retainHandling === 3)
      return cur.fail(
        null,
        null,
        `Retain Handling is 3 in the Subscription Options at offset ${at}`,
        PROTOCOL_ERROR,
        at,
      );
    const noLocal = (o & 4) !== 0;
    if (noLocal && topic.startsWith('$share/')) {
      return cur.fail(
        null,
        'MQTT-3.8.3-4',
        `No Local is set on Shared Subscription ${JSON.stringify(topic)}`,
        PROTOCOL_ERROR,
        at,
      );
    }
    const sub: Subscription = {
      topicFilter: topic,
      qos: qos as QoS,
      noLocal,
      retainAsPublished: (o & 8) !== 0,
      retainHandling: retainHandling as 0 | 1 | 2,
    };
    packet.subscriptions.push(sub);
  }
  return packet;
}

/** SUBACK (3.9): packet id, properties (5.0), one return/reason code per filter. */
export function decodeSuback(cur: Cursor): SubackPacket | undefined {
  const packetId = readAckPacketId(cur);
  if (packetId < 0) return undefined;
  const packet: SubackPacket = { type: 'suback', packetId, reasonCodes: [] };
  const v5 = cur.level === 5;
  if (v5) {
    const props = decodeProperties(cur, 9);
    if (cur.err) return undefined;
    if (props) packet.properties = props;
  }
  if (cur.pos === cur.end)
    return cur.fail('MQTT-3.9.3-2', 'MQTT-3.9.3-2', 'no return codes in the payload', PROTOCOL_ERROR);
  while (cur.pos < cur.end) {
    const at = cur.pos;
    const code = cur.buf[cur.pos++];
    if (v5 ? !isReasonCodeAllowed(9, code) : !isSubackReturnCode311(code)) {
      return cur.fail(
        'MQTT-3.9.3-2',
        'MQTT-3.9.3-2',
        `${v5 ? 'Reason' : 'Return'} Code ${hex(code)} at offset ${at} is not valid in SUBACK`,
        PROTOCOL_ERROR,
        at,
      );
    }
    packet.reasonCodes.push(code);
  }
  return packet;
}

/** UNSUBSCRIBE (3.10): packet id, properties (5.0), at least one Topic Filter. */
export function decodeUnsubscribe(cur: Cursor): UnsubscribePacket | undefined {
  const packetId = readNewPacketId(cur, 'client');
  if (packetId < 0) return undefined;
  const packet: UnsubscribePacket = { type: 'unsubscribe', packetId, topicFilters: [] };
  if (cur.level === 5) {
    const props = decodeProperties(cur, 10);
    if (cur.err) return undefined;
    if (props) packet.properties = props;
  }
  if (cur.pos === cur.end)
    return cur.fail('MQTT-3.10.3-2', 'MQTT-3.10.3-2', 'no Topic Filter in the payload', PROTOCOL_ERROR);
  while (cur.pos < cur.end) {
    const f = topicFilter(cur);
    if (f === undefined) return undefined;
    packet.topicFilters.push(f);
  }
  return packet;
}

/** UNSUBACK (3.11): packet id; at 5.0 properties and one reason code per filter. */
export function decodeUnsuback(cur: Cursor): UnsubackPacket | undefined {
  const packetId = readAckPacketId(cur);
  if (packetId < 0) return undefined;
  const packet: UnsubackPacket = { type: 'unsuback', packetId };
  if (cur.level < 5) return packet;
  const props = decodeProperties(cur, 11);
  if (cur.err) return undefined;
  if (props) packet.properties = props;
  if (cur.pos === cur.end) return cur.fail(null, 'MQTT-3.11.3-2', 'no reason codes in the payload', PROTOCOL_ERROR);
  const codes: number[] = [];
  while (cur.pos < cur.end) {
    const at = cur.pos;
    const code = cur.buf[cur.pos++];
    if (!isReasonCodeAllowed(11, code)) {
      return cur.fail(
        null,
        'MQTT-3.11.3-2',
        `Reason Code ${hex(code)} at offset ${at} is not valid in UNSUBACK`,
        PROTOCOL_ERROR,
        at,
      );
    }
    codes.push(code);
  }
  packet.reasonCodes = codes;
  return packet;
}
