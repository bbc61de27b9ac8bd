import type { Id50 } from '../spec/types.ts';
import type { Properties } from './packet-types.ts';

/** How a property value is carried on the wire (MQTT 5.0, 2.2.2.2). */
export type WireType = 'byte' | 'u16' | 'u32' | 'varint' | 'utf8' | 'pair' | 'binary';

/**
 * Where properties live: the packet type number (1..15) or WILL (16) for the Will
 * Properties of a CONNECT. Property sets are bit masks over these.
 */
export const WILL = 16;
export type PropertyHolder = number;

const C = 1 << 1,
  CA = 1 << 2,
  P = 1 << 3,
  PA = 1 << 4,
  PREC = 1 << 5,
  PREL = 1 << 6,
  PC = 1 << 7;
const S = 1 << 8,
  SA = 1 << 9,
  U = 1 << 10,
  UA = 1 << 11,
  D = 1 << 14,
  AU = 1 << 15,
  W = 1 << WILL;

export interface PropertyDef {
  id: number;
  key: keyof Properties;
  /** Name as in the standard, for messages. */
  label: string;
  wire: WireType;
  /** Bit mask of holders that may carry it. */
  holders: number;
  /** Bit mask of holders where it may appear more than once. */
  repeatable: number;
  /** Extra value rule (protocol error 0x82 when broken), with the statement that states it. */
  check?: { ok: (v: number | string) => boolean; rule: string; statement?: Id50 };
}

const zeroOne = { ok: (v: number | string) => v === 0 || v === 1, rule: 'must be 0 or 1' };
const nonZero = { ok: (v: number | string) => v !== 0, rule: 'must not be 0' };
const noWildcard = {
  ok: (v: number | string) => typeof v === 'string' && !/[#+]/.test(v),
  rule: 'must not contain wildcard characters',
  statement: 'MQTT-3.3.2-14' as Id50,
};

export const PROPERTY_DEFS: readonly PropertyDef[] = [
  {
    id: 0x01,
    key: 'payloadFormatIndicator',
    label: 'Payload Format Indicator',
    wire: 'byte',
    holders: P | W,
    repeatable: 0,
    check: zeroOne,
  },
  {
    id: 0x02,
    key: 'messageExpiryInterval',
    label: 'Message Expiry Interval',
    wire: 'u32',
    holders: P | W,
    repeatable: 0,
  },
  { id: 0x03, key: 'contentType', label: 'Content Type', wire: 'utf8', holders: P | W, repeatable: 0 },
  {
    id: 0x08,
    key: 'responseTopic',
    label: 'Response Topic',
    wire: 'utf8',
    holders: P | W,
    repeatable: 0,
    check: noWildcard,
  },
  { id: 0x09, key: 'correlationData', label: 'Correlation Data', wire: 'binary', holders: P | W, repeatable: 0 },
  {
    id: 0x0b,
    key: 'subscriptionIdentifiers',
    label: 'Subscription Identifier',
    wire: 'varint',
    holders: P | S,
    repeatable: P,
    check: nonZero,
  },
  {
    id: 0x11,
    key: 'sessionExpiryInterval',
    label: 'Session Expiry Interval',
    wire: 'u32',
    holders: C | CA | D,
    repeatable: 0,
  },
  {
    id: 0x12,
    key: 'assignedClientIdentifier',
    label: 'Assigned Client Identifier',
    wire: 'utf8',
    holders: CA,
    repeatable: 0,
  },
  { id: 0x13, key: 'serverKeepAlive', label: 'Server Keep Alive', wire: 'u16', holders: CA, repeatable: 0 },
  {
    id: 0x15,
    key: 'authenticationMethod',
    label: 'Authentication Method',
    wire: 'utf8',
    holders: C | CA | AU,
    repeatable: 0,
  },
  {
    id: 0x16,
    key: 'authenticationData',
    label: 'Authentication Data',
    wire: 'binary',
    holders: C | CA | AU,
    repeatable: 0,
  },
  {
    id: 0x17,
    key: 'requestProblemInformation',
    label: 'Request Problem Information',
    wire: 'byte',
    holders: C,
    repeatable: 0,
    check: zeroOne,
  },
  { id: 0x18, key: 'willDelayInterval', label: 'Will Delay Interval', wire: 'u32', holders: W, repeatable: 0 },
  {
    id: 0x19,
    key: 'requestResponseInformation',
    label: 'Request Response Information',
    wire: 'byte',
    holders: C,
    repeatable: 0,
    check: zeroOne,
  },
  { id: 0x1a, key: 'responseInformation', label: 'Response Information', wire: 'utf8', holders: CA, repeatable: 0 },
  { id: 0x1c, key: 'serverReference', label: 'Server Reference', wire: 'utf8', holders: CA | D, repeatable: 0 },
  {
    id: 0x1f,
    key: 'reasonString',
    label: 'Reason String',
    wire: 'utf8',
    holders: CA | PA | PREC | PREL | PC | SA | UA | D | AU,
    repeatable: 0,
  },
  {
    id: 0x21,
    key: 'receiveMaximum',
    label: 'Receive Maximum',
    wire: 'u16',
    holders: C | CA,
    repeatable: 0,
    check: nonZero,
  },
  { id: 0x22, key: 'topicAliasMaximum', label: 'Topic Alias Maximum', wire: 'u16', holders: C | CA, repeatable: 0 },
  {
    id: 0x23,
    key: 'topicAlias',
    label: 'Topic Alias',
    wire: 'u16',
    holders: P,
    repeatable: 0,
    check: { ...nonZero, statement: 'MQTT-3.3.2-8' },
  },
  { id: 0x24, key: 'maximumQoS', label: 'Maximum QoS', wire: 'byte', holders: CA, repeatable: 0, check: zeroOne },
  {
    id: 0x25,
    key: 'retainAvailable',
    label: 'Retain Available',
    wire: 'byte',
    holders: CA,
    repeatable: 0,
    check: zeroOne,
  },
  {
    id: 0x26,
    key: 'userProperties',
    label: 'User Property',
    wire: 'pair',
    holders: C | CA | P | W | PA | PREC | PREL | PC | S | SA | U | UA | D | AU,
    repeatable: ~0,
  },
  {
    id: 0x27,
    key: 'maximumPacketSize',
    label: 'Maximum Packet Size',
    wire: 'u32',
    holders: C | CA,
    repeatable: 0,
    check: nonZero,
  },
  {
    id: 0x28,
    key: 'wildcardSubscriptionAvailable',
    label: 'Wildcard Subscription Available',
    wire: 'byte',
    holders: CA,
    repeatable: 0,
    check: zeroOne,
  },
  {
    id: 0x29,
    key: 'subscriptionIdentifierAvailable',
    label: 'Subscription Identifier Available',
    wire: 'byte',
    holders: CA,
    repeatable: 0,
    check: zeroOne,
  },
  {
    id: 0x2a,
    key: 'sharedSubscriptionAvailable',
    label: 'Shared Subscription Available',
    wire: 'byte',
    holders: CA,
    repeatable: 0,
    check: zeroOne,
  },
];

/** Lookup by identifier (0..0x2A); undefined for unassigned identifiers. */
export const PROPERTY_BY_ID: readonly (PropertyDef | undefined)[] = (() => {
  const t: (PropertyDef | undefined)[] = new Array(0x2b).fill(undefined);
  for (const d of PROPERTY_DEFS) t[d.id] = d;
  return t;
})();

export const PROPERTY_BY_KEY: ReadonlyMap<keyof Properties, PropertyDef> = new Map(
  PROPERTY_DEFS.map((d) => [d.key, d]),
);

/** May `def` appear in `holder` (packet type number or WILL)? */
export function allowedIn(def: PropertyDef, holder: PropertyHolder): boolean {
  return (def.holders & (1 << holder)) !== 0;
}

export function repeatableIn(def: PropertyDef, holder: PropertyHolder): boolean {
  return (def.repeatable & (1 << holder)) !== 0;
}
