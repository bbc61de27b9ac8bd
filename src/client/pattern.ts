import type { Packet, PacketName } from '../codec/packet-types.ts';
import { redactValue } from '../common/redact.ts';

/**
 * A partial description of a packet: its type plus any subset of its fields, nested
 * objects and arrays matched recursively. In a pattern, `null` means "the field is absent",
 * a string matches a Buffer field by its UTF-8 text, and arrays match element by element
 * with equal length. A `reasonCode` the wire omitted counts as 0 (its 5.0 default).
 */
export type PacketPattern = { type: PacketName } & Record<string, unknown>;

/**
 * 5.0 properties whose absence means a value: a pattern that names the value matches a packet
 * that leaves the property out (a sender may omit a property whose default it means).
 */
export const PROPERTY_DEFAULTS: Readonly<Record<string, unknown>> = {
  payloadFormatIndicator: 0,
  requestProblemInformation: 1,
  requestResponseInformation: 0,
  maximumQoS: 2,
  retainAvailable: 1,
  wildcardSubscriptionAvailable: 1,
  subscriptionIdentifierAvailable: 1,
  sharedSubscriptionAvailable: 1,
  topicAliasMaximum: 0,
  receiveMaximum: 65535,
};

/** Pattern value meaning "the field is there, whatever its value" (`present` in the step grammar). */
export const PRESENT = '\u0000present';
/** Value meaning "the packet id of the last packet with one this client received" (`last`). */
export const LAST_ID = '\u0000last';

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);

const show = (v: unknown): string => {
  if (Buffer.isBuffer(v)) return `<${v.toString('hex')}>`;
  if (typeof v === 'number' && Number.isInteger(v) && v > 9) return `${v} (0x${v.toString(16)})`;
  return JSON.stringify(v) ?? String(v);
};

/** True when every leaf of the pattern says "absent" (null), e.g. `{ topicAlias: null }`. */
function onlyAbsence(pattern: Record<string, unknown>): boolean {
  return Object.values(pattern).every((v) => v === undefined || v === null || (isPlainObject(v) && onlyAbsence(v)));
}

/** Null when `actual` matches; otherwise the first difference, "reasonCode: expected 130 (0x82), got 0". */
export function mismatch(actual: unknown, pattern: unknown, path = ''): string | null {
  if (pattern === undefined) return null;
  if (pattern === PRESENT)
    return actual === undefined || actual === null ? `${path || 'value'}: expected present, got absent` : null;
  if (pattern === null)
    return actual === undefined || actual === null ? null : `${path || 'value'}: expected absent, got ${show(actual)}`;
  if (Buffer.isBuffer(pattern)) {
    return Buffer.isBuffer(actual) && actual.equals(pattern)
      ? null
      : `${path}: expected ${show(pattern)}, got ${show(actual)}`;
  }
  if (typeof pattern === 'string' && Buffer.isBuffer(actual)) {
    return actual.toString('utf8') === pattern
      ? null
      : `${path}: expected ${show(pattern)}, got ${show(actual.toString('utf8'))}`;
  }
  if (Array.isArray(pattern)) {
    if (!Array.isArray(actual)) return `${path}: expected an array ${show(pattern)}, got ${show(actual)}`;
    if (actual.length !== pattern.length) {
      return `${path}: expected ${pattern.length} element(s) ${show(pattern)}, got ${actual.length} ${show(actual)}`;
    }
    for (let i = 0; i < pattern.length; i++) {
      const m = mismatch(actual[i], pattern[i], `${path}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if (isPlainObject(pattern)) {
    // `properties: { topicAlias: null }` holds for a packet without any properties.
    if ((actual === undefined || actual === null) && onlyAbsence(pattern)) return null;
    // A packet without properties has every property at its default.
    if ((actual === undefined || actual === null) && path.endsWith('properties')) actual = {};
    if (!isPlainObject(actual)) return `${path || 'value'}: expected an object, got ${show(actual)}`;
    for (const [k, pv] of Object.entries(pattern)) {
      let av = actual[k];
      if (k === 'reasonCode' && av === undefined && pv !== null) av = 0;
      // An omitted 5.0 property means its default value (Payload Format Indicator 0, ...).
      if (av === undefined && pv !== null && pv !== PRESENT && path.endsWith('properties') && k in PROPERTY_DEFAULTS)
        av = PROPERTY_DEFAULTS[k];
      const m = mismatch(av, pv, path ? `${path}.${k}` : k);
      if (m) return m;
    }
    return null;
  }
  return actual === pattern ? null : `${path}: expected ${show(pattern)}, got ${show(actual)}`;
}

export function matches(packet: Packet, pattern: PacketPattern): boolean {
  return mismatch(packet, pattern) === null;
}

/** Fields whose value is a secret wherever they appear (CONNECT password, AUTH / CONNECT authentication data). */
const SECRET_FIELDS = new Set(['password', 'authenticationData']);

/** Replaces secret fields (at any depth) by `<redacted, N bytes>`. */
function redactFields(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redactFields);
  if (!isPlainObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    out[k] = SECRET_FIELDS.has(k) && (typeof x === 'string' || Buffer.isBuffer(x)) ? redactValue(x) : redactFields(x);
  }
  return out;
}

/**
 * One line for a person: `PUBLISH topic="a/b" qos=1 packetId=5 payload="hi"`. Passwords and
 * authentication data are shown as `password=<redacted, 6 bytes>`.
 */
export function describePacket(p: Packet | PacketPattern): string {
  const parts: string[] = [String(p.type).toUpperCase()];
  for (const [k, v0] of Object.entries(p)) {
    if (k === 'type' || v0 === undefined) continue;
    if (SECRET_FIELDS.has(k) && (typeof v0 === 'string' || Buffer.isBuffer(v0))) {
      parts.push(`${k}=${redactValue(v0)}`);
      continue;
    }
    const v = redactFields(v0);
    if (Buffer.isBuffer(v)) {
      const printable = /^[\x20-\x7e]*$/.test(v.toString('latin1'));
      parts.push(`${k}=${printable ? JSON.stringify(v.toString('latin1')) : `<${v.toString('hex')}>`}`);
    } else if (isPlainObject(v) || Array.isArray(v)) {
      parts.push(
        `${k}=${JSON.stringify(v, (_key, x) => (x && x.type === 'Buffer' && Array.isArray(x.data) ? `<${Buffer.from(x.data).toString('hex')}>` : x))}`,
      );
    } else {
      parts.push(`${k}=${typeof v === 'string' ? JSON.stringify(v) : String(v)}`);
    }
  }
  return parts.join(' ');
}
