import type { PublishPacket, QoS } from './packet-types.ts';
import type { Cursor } from './primitives.ts';
import { decodeProperties } from './properties.ts';
import { readNewPacketId, wildcardIndex } from './decode-common.ts';
import type { From } from './decode-common.ts';
import { PROTOCOL_ERROR, TOPIC_NAME_INVALID } from './violations.ts';

/** PUBLISH (3.3): topic, packet id when QoS > 0, properties (5.0), payload as a view. */
export function decodePublish(cur: Cursor, flags: number, from: From): PublishPacket | undefined {
  const qos = ((flags >> 1) & 3) as QoS;
  const topicAt = cur.pos;
  const topic = cur.utf8('Topic Name');
  if (topic === undefined) return undefined;
  let packetId = 0;
  if (qos > 0) {
    packetId = readNewPacketId(cur, from);
    if (packetId < 0) return undefined;
  }
  const packet: PublishPacket = {
    type: 'publish',
    topic,
    payload: cur.buf,
    qos,
    retain: (flags & 1) !== 0,
    dup: (flags & 8) !== 0,
  };
  if (qos > 0) packet.packetId = packetId;
  if (cur.level === 5) {
    const props = decodeProperties(cur, 3);
    if (cur.err) return undefined;
    if (props) {
      packet.properties = props;
      if (from === 'client' && props.subscriptionIdentifiers) {
        return cur.fail(
          null,
          'MQTT-3.3.4-6',
          'a PUBLISH from a client carries a Subscription Identifier',
          PROTOCOL_ERROR,
          topicAt,
        );
      }
    }
    if (topic.length === 0 && props?.topicAlias === undefined) {
      return cur.fail(
        null,
        'MQTT-4.7.3-1',
        `Topic Name at offset ${topicAt} is empty and there is no Topic Alias`,
        PROTOCOL_ERROR,
        topicAt,
      );
    }
  } else if (topic.length === 0) {
    return cur.fail('MQTT-4.7.3-1', null, `Topic Name at offset ${topicAt} is empty`, PROTOCOL_ERROR, topicAt);
  }
  const w = wildcardIndex(topic);
  if (w >= 0) {
    return cur.fail(
      'MQTT-3.3.2-2',
      'MQTT-3.3.2-2',
      `Topic Name ${JSON.stringify(topic)} contains wildcard '${topic[w]}'`,
      TOPIC_NAME_INVALID,
      topicAt + 2 + w,
    );
  }
  packet.payload = cur.buf.subarray(cur.pos, cur.end);
  cur.pos = cur.end;
  return packet;
}
