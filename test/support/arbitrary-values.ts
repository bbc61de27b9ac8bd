/**
 * fast-check arbitraries of the VALUES inside valid MQTT packets: strings, topic names and
 * filters, packet ids, bytes, the properties each holder may carry, and the 5.0 reason codes
 * each packet may carry. The packets themselves are in arbitraries.ts.
 */
import fc from 'fast-check';
import type { Properties, QoS, UserProperty } from '../../src/codec/packet-types.ts';

export type Direction = 'client' | 'server';

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

export const u16 = fc.integer({ min: 0, max: 0xffff });
export const u32 = fc.integer({ min: 0, max: 0xffffffff });
const nonZeroU16 = fc.integer({ min: 1, max: 0xffff });
const nonZeroU32 = fc.integer({ min: 1, max: 0xffffffff });
const zeroOne = fc.constantFrom(0, 1);
export const subscriptionId = fc.oneof(
  fc.integer({ min: 1, max: 127 }),
  fc.integer({ min: 1, max: 268_435_455 }),
  fc.constantFrom(128, 16_383, 16_384, 2_097_151, 2_097_152, 268_435_455),
);
export const userProperties: fc.Arbitrary<UserProperty[]> = fc.array(fc.tuple(utf8String(6), utf8String(6)), {
  minLength: 1,
  maxLength: 3,
});

// ------------------------------------------------------------------ properties per holder

export type Model = { [K in keyof Properties]?: fc.Arbitrary<Properties[K]> };

/** Properties drawn from `model`, each key present or not; undefined when none is present. */
export function props(model: Model): fc.Arbitrary<Properties | undefined> {
  return fc
    .record(model as Record<string, fc.Arbitrary<unknown>>, { requiredKeys: [] })
    .map((p) => p as Properties)
    .map((p) => (Object.keys(p).length === 0 ? undefined : p));
}

/** Authentication Data only makes sense (and is only allowed) next to a method. */
export const withAuthRule = (p: Properties | undefined): Properties | undefined => {
  if (p && p.authenticationData !== undefined && p.authenticationMethod === undefined) {
    const { authenticationData: _, ...rest } = p;
    return Object.keys(rest).length === 0 ? undefined : rest;
  }
  return p;
};

export const reasonOnly: Model = { reasonString: utf8String(), userProperties };

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
