/**
 * fast-check arbitraries of VALID MQTT packets (levels 4 and 5), in exactly the form the
 * decoder returns them, so `decodePacket(encodePacket(p))` can be compared with toEqual:
 * - level 5: acks, DISCONNECT and AUTH always carry `reasonCode`; `properties` is absent
 *   rather than empty; subscriptions carry all of noLocal / retainAsPublished / retainHandling;
 * - level 4: no reasonCode on acks, no properties, subscriptions are { topicFilter, qos };
 * - strings are well-formed UTF-8 without U+0000; topic names have no wildcards; packet ids
 *   are 1..65535; properties appear only in packets that may carry them, once unless repeatable.
 * Use `sentPacketArb(level)` when the direction matters (decode with `from`).
 */
import fc from 'fast-check';
import type {
  Packet,
  PacketName,
  Properties,
  ProtocolLevel,
  Subscription,
  Will,
} from '../../src/codec/packet-types.ts';

import {
  REASON_CODES,
  bytes,
  connackProps,
  connectProps,
  packetId,
  props,
  publishProps,
  qos,
  reasonOnly,
  subscriptionId,
  topicFilter,
  topicName,
  u16,
  u32,
  userProperties,
  utf8String,
  willProps,
  withAuthRule,
  type Direction,
  type Model,
} from './arbitrary-values.ts';

export type { Direction };
export interface SentPacket {
  packet: Packet;
  from: Direction;
}

// ------------------------------------------------------------------ packets

const sent =
  (from: Direction) =>
  (packet: Packet): SentPacket => ({ packet, from });

function connectArb(level: 4 | 5): fc.Arbitrary<Packet> {
  const will: fc.Arbitrary<Will> = fc
    .record({
      topic: topicName,
      payload: bytes(),
      qos,
      retain: fc.boolean(),
      properties: level === 5 ? willProps : fc.constant(undefined),
    })
    .map(({ properties, ...w }) => (properties ? { ...w, properties } : w));
  return fc
    .record({
      clean: fc.boolean(),
      keepAlive: u16,
      clientId: utf8String(12),
      will: fc.option(will, { nil: undefined }),
      username: fc.option(utf8String(), { nil: undefined }),
      password: fc.option(bytes(), { nil: undefined }),
      properties: level === 5 ? connectProps : fc.constant(undefined),
    })
    .map((r) => {
      const p: Packet = {
        type: 'connect',
        protocolName: 'MQTT',
        protocolLevel: level,
        clean: r.clean,
        keepAlive: r.keepAlive,
        clientId: r.clientId,
      };
      // 3.1.1: an empty client id needs clean session, a password needs a user name.
      if (level === 4 && r.clientId === '') p.clean = true;
      if (r.will) p.will = r.will;
      if (r.username !== undefined) p.username = r.username;
      if (r.password !== undefined && (level === 5 || r.username !== undefined)) p.password = r.password;
      if (r.properties) p.properties = r.properties;
      return p;
    });
}

function connackArb(level: 4 | 5): fc.Arbitrary<Packet> {
  const codes = level === 5 ? fc.constantFrom(...REASON_CODES.connack) : fc.integer({ min: 0, max: 5 });
  return fc
    .record({
      sessionPresent: fc.boolean(),
      reasonCode: codes,
      properties: level === 5 ? connackProps : fc.constant(undefined),
    })
    .map(({ sessionPresent, reasonCode, properties }) => {
      const p: Packet = { type: 'connack', sessionPresent: sessionPresent && reasonCode === 0, reasonCode };
      if (properties) p.properties = properties;
      return p;
    });
}

function publishArb(level: 4 | 5, from: Direction): fc.Arbitrary<Packet> {
  return fc
    .record({
      topic: topicName,
      payload: bytes(32),
      text: utf8String(12),
      qos,
      retain: fc.boolean(),
      dup: fc.boolean(),
      packetId,
      emptyTopic: fc.boolean(),
      properties: level === 5 ? publishProps(from) : fc.constant(undefined),
    })
    .map((r) => {
      const p: Packet = {
        type: 'publish',
        topic: r.topic,
        payload: r.payload,
        qos: r.qos,
        retain: r.retain,
        dup: r.qos > 0 && r.dup,
      };
      if (r.qos > 0) p.packetId = r.packetId;
      if (r.properties) {
        p.properties = r.properties;
        // A topic alias may stand in for the topic; UTF-8 payloads are declared as such.
        if (r.properties.topicAlias !== undefined && r.emptyTopic) p.topic = '';
        if (r.properties.payloadFormatIndicator === 1) p.payload = Buffer.from(r.text, 'utf8');
      }
      return p;
    });
}

function ackArb(level: 4 | 5, type: 'puback' | 'pubrec' | 'pubrel' | 'pubcomp'): fc.Arbitrary<Packet> {
  if (level === 4) return packetId.map((id) => ({ type, packetId: id }));
  return fc
    .record({ id: packetId, rc: fc.constantFrom(...REASON_CODES[type]), properties: props(reasonOnly) })
    .map(({ id, rc, properties }) =>
      properties ? { type, packetId: id, reasonCode: rc, properties } : { type, packetId: id, reasonCode: rc },
    );
}

function subscriptionArb(level: 4 | 5): fc.Arbitrary<Subscription> {
  if (level === 4) return fc.record({ topicFilter, qos });
  return fc
    .record({
      topicFilter,
      qos,
      noLocal: fc.boolean(),
      retainAsPublished: fc.boolean(),
      retainHandling: fc.constantFrom<0 | 1 | 2>(0, 1, 2),
    })
    .map((s) => (s.topicFilter.startsWith('$share/') ? { ...s, noLocal: false } : s));
}

function withProps<P extends Packet>(p: P, properties: Properties | undefined): P {
  return properties ? { ...p, properties } : p;
}

const subscribeProps = props({ subscriptionIdentifiers: subscriptionId.map((n) => [n]), userProperties });
const noProps = fc.constant(undefined);

function disconnectArb(from: Direction): fc.Arbitrary<Packet> {
  const model: Model =
    from === 'client'
      ? { sessionExpiryInterval: u32, ...reasonOnly }
      : { ...reasonOnly, serverReference: utf8String() };
  const codes = from === 'client' ? REASON_CODES.disconnectClient : REASON_CODES.disconnectServer;
  return fc
    .record({ rc: fc.constantFrom(...codes), properties: props(model) })
    .map(({ rc, properties }) => withProps({ type: 'disconnect', reasonCode: rc }, properties));
}

const authArb: fc.Arbitrary<Packet> = fc
  .record({
    rc: fc.constantFrom(...REASON_CODES.auth),
    properties: props({ authenticationMethod: utf8String(), authenticationData: bytes(), ...reasonOnly }).map(
      withAuthRule,
    ),
  })
  .map(({ rc, properties }) => withProps({ type: 'auth', reasonCode: rc }, properties));

/** Arbitraries of valid packets of each type, with the side that sends them. */
export function sentPacketArbs(level: 4 | 5): Partial<Record<PacketName, fc.Arbitrary<SentPacket>>> {
  const v5 = level === 5;
  const a: Partial<Record<PacketName, fc.Arbitrary<SentPacket>>> = {
    connect: connectArb(level).map(sent('client')),
    connack: connackArb(level).map(sent('server')),
    publish: fc.constantFrom<Direction>('client', 'server').chain((from) => publishArb(level, from).map(sent(from))),
    puback: ackArb(level, 'puback').map(sent('client')),
    pubrec: ackArb(level, 'pubrec').map(sent('server')),
    pubrel: ackArb(level, 'pubrel').map(sent('client')),
    pubcomp: ackArb(level, 'pubcomp').map(sent('server')),
    subscribe: fc
      .record({
        id: packetId,
        subs: fc.array(subscriptionArb(level), { minLength: 1, maxLength: 4 }),
        properties: v5 ? subscribeProps : noProps,
      })
      .map(({ id, subs, properties }) =>
        withProps({ type: 'subscribe', packetId: id, subscriptions: subs } as Packet, properties),
      )
      .map(sent('client')),
    suback: fc
      .record({
        id: packetId,
        codes: fc.array(v5 ? fc.constantFrom(...REASON_CODES.suback) : fc.constantFrom(0, 1, 2, 0x80), {
          minLength: 1,
          maxLength: 5,
        }),
        properties: v5 ? props(reasonOnly) : noProps,
      })
      .map(({ id, codes, properties }) =>
        withProps({ type: 'suback', packetId: id, reasonCodes: codes } as Packet, properties),
      )
      .map(sent('server')),
    unsubscribe: fc
      .record({
        id: packetId,
        filters: fc.array(topicFilter, { minLength: 1, maxLength: 4 }),
        properties: v5 ? props({ userProperties }) : noProps,
      })
      .map(({ id, filters, properties }) =>
        withProps({ type: 'unsubscribe', packetId: id, topicFilters: filters } as Packet, properties),
      )
      .map(sent('client')),
    unsuback: v5
      ? fc
          .record({
            id: packetId,
            codes: fc.array(fc.constantFrom(...REASON_CODES.unsuback), { minLength: 1, maxLength: 4 }),
            properties: props(reasonOnly),
          })
          .map(({ id, codes, properties }) =>
            withProps({ type: 'unsuback', packetId: id, reasonCodes: codes } as Packet, properties),
          )
          .map(sent('server'))
      : packetId.map((id): Packet => ({ type: 'unsuback', packetId: id })).map(sent('server')),
    pingreq: fc.constant<Packet>({ type: 'pingreq' }).map(sent('client')),
    pingresp: fc.constant<Packet>({ type: 'pingresp' }).map(sent('server')),
    disconnect: v5
      ? fc.constantFrom<Direction>('client', 'server').chain((from) => disconnectArb(from).map(sent(from)))
      : fc.constant<Packet>({ type: 'disconnect' }).map(sent('client')),
  };
  if (v5) a.auth = authArb.map(sent('client'));
  return a;
}

/** Any valid packet of `level` (4 or 5) with its sender, every type equally likely. */
export function sentPacketArb(level: 4 | 5): fc.Arbitrary<SentPacket> {
  return fc.oneof(...(Object.values(sentPacketArbs(level)) as fc.Arbitrary<SentPacket>[]));
}

/** Valid packets that one side may send on one connection (for stream / framing tests). */
export function streamArb(level: 4 | 5, from: Direction, maxLength = 8): fc.Arbitrary<Packet[]> {
  return fc
    .array(
      sentPacketArb(level).filter((s) => s.from === from && s.packet.type !== 'connect'),
      { minLength: 1, maxLength },
    )
    .map((xs) => xs.map((s) => s.packet));
}

export type { ProtocolLevel };
