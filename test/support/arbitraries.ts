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
  QoS,
  Subscription,
  UserProperty,
  Will,
} from '../../src/codec/packet-types.ts';

export type Direction = 'client' | 'server';
export interface SentPacket {
  packet: Packet;
  from: Direction;
}

// ------------------------------------------------------------------ primitives

/** Any well-formed string without U+0000 (full Unicode, including astral and BOM). */
export const utf8String = (maxLength = 10): fc.Arbitrary<string> =>
  fc
    .oneof(fc.string({ unit: 'grapheme-ascii', maxLength }), fc.string({ unit: 'binary', maxLength }))
    .map((s) => s.replace(/\0/g, '_'));

const levelText = (maxLength: number): fc.Arbitrary<string> =>
  utf8String(maxLength).map((s) => s.replace(/[+#/]/g, '_'));

/** A topic name: 1..4 levels, no wildcards, at least one character. */
export const topicName: fc.Arbitrary<string> = fc
  .array(levelText(6), { minLength: 1, maxLength: 4 })
  .map((levels) => levels.join('/'))
  .map((t) => (t.length === 0 ? 'x' : t));

/** A valid topic filter: levels of text or '+', optionally ending with '#'. */
export const topicFilter: fc.Arbitrary<string> = fc
  .tuple(fc.array(fc.oneof(levelText(6), fc.constant('+')), { minLength: 0, maxLength: 4 }), fc.boolean())
  .map(([levels, hash]) => (hash ? [...levels, '#'] : levels).join('/'))
  .map((t) => (t.length === 0 ? '#' : t));

export const packetId = fc.integer({ min: 1, max: 65535 });
export const qos = fc.constantFrom<QoS>(0, 1, 2);
export const bytes = (maxLength = 16): fc.Arbitrary<Buffer> => fc.uint8Array({ maxLength }).map((u) => Buffer.from(u));

const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const nonZeroU16 = fc.integer({ min: 1, max: 0xffff });
const nonZeroU32 = fc.integer({ min: 1, max: 0xffffffff });
const zeroOne = fc.constantFrom(0, 1);
const subscriptionId = fc.oneof(
  fc.integer({ min: 1, max: 127 }),
  fc.integer({ min: 1, max: 268_435_455 }),
  fc.constantFrom(128, 16_383, 16_384, 2_097_151, 2_097_152, 268_435_455),
);
export const userProperties: fc.Arbitrary<UserProperty[]> = fc.array(fc.tuple(utf8String(6), utf8String(6)), {
  minLength: 1,
  maxLength: 3,
});

// ------------------------------------------------------------------ properties per holder

type Model = { [K in keyof Properties]?: fc.Arbitrary<Properties[K]> };

/** Properties drawn from `model`, each key present or not; undefined when none is present. */
function props(model: Model): fc.Arbitrary<Properties | undefined> {
  return fc
    .record(model as Record<string, fc.Arbitrary<unknown>>, { requiredKeys: [] })
    .map((p) => p as Properties)
    .map((p) => (Object.keys(p).length === 0 ? undefined : p));
}

/** Authentication Data only makes sense (and is only allowed) next to a method. */
const withAuthRule = (p: Properties | undefined): Properties | undefined => {
  if (p && p.authenticationData !== undefined && p.authenticationMethod === undefined) {
    const { authenticationData: _, ...rest } = p;
    return Object.keys(rest).length === 0 ? undefined : rest;
  }
  return p;
};

const reasonOnly: Model = { reasonString: utf8String(), userProperties };

export const connectProps = props({
  sessionExpiryInterval: u32,
  authenticationMethod: utf8String(),
  authenticationData: bytes(),
  requestProblemInformation: zeroOne,
  requestResponseInformation: zeroOne,
  receiveMaximum: nonZeroU16,
  topicAliasMaximum: u16,
  userProperties,
  maximumPacketSize: nonZeroU32,
}).map(withAuthRule);

export const willProps = props({
  payloadFormatIndicator: zeroOne,
  messageExpiryInterval: u32,
  contentType: utf8String(),
  responseTopic: topicName,
  correlationData: bytes(),
  willDelayInterval: u32,
  userProperties,
});

export const connackProps = props({
  sessionExpiryInterval: u32,
  assignedClientIdentifier: utf8String(),
  serverKeepAlive: u16,
  authenticationMethod: utf8String(),
  authenticationData: bytes(),
  responseInformation: utf8String(),
  serverReference: utf8String(),
  reasonString: utf8String(),
  receiveMaximum: nonZeroU16,
  topicAliasMaximum: u16,
  maximumQoS: zeroOne,
  retainAvailable: zeroOne,
  userProperties,
  maximumPacketSize: nonZeroU32,
  wildcardSubscriptionAvailable: zeroOne,
  subscriptionIdentifierAvailable: zeroOne,
  sharedSubscriptionAvailable: zeroOne,
}).map(withAuthRule);

const publishModel: Model = {
  payloadFormatIndicator: zeroOne,
  messageExpiryInterval: u32,
  contentType: utf8String(),
  responseTopic: topicName,
  correlationData: bytes(),
  topicAlias: nonZeroU16,
  userProperties,
};
/** PUBLISH properties; only a server may send subscription identifiers. */
export const publishProps = (from: Direction) =>
  props(
    from === 'server'
      ? { ...publishModel, subscriptionIdentifiers: fc.array(subscriptionId, { minLength: 1, maxLength: 3 }) }
      : publishModel,
  );

// ------------------------------------------------------------------ 5.0 reason codes (Table 2-6)

export const REASON_CODES = {
  connack: [
    0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8c, 0x90, 0x95, 0x97, 0x99, 0x9a, 0x9b,
    0x9c, 0x9d, 0x9f,
  ],
  puback: [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99],
  pubrec: [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99],
  pubrel: [0x00, 0x92],
  pubcomp: [0x00, 0x92],
  suback: [0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8f, 0x91, 0x97, 0x9e, 0xa1, 0xa2],
  unsuback: [0x00, 0x11, 0x80, 0x83, 0x87, 0x8f, 0x91],
  disconnectClient: [0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99],
  disconnectServer: [
    0x00, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8b, 0x8d, 0x8e, 0x8f, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99,
    0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2,
  ],
  auth: [0x00, 0x18, 0x19],
} as const;

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

/** Any valid packet of `level`. */
export function packetArb(level: 4 | 5): fc.Arbitrary<Packet> {
  return sentPacketArb(level).map((s) => s.packet);
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
