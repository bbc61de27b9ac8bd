import type { Packet, ProtocolLevel } from '../../src/codec/packet-types.ts';
import type { Direction } from './fixtures/types.ts';

/** Local hex reader: whitespace and `#` comments (to end of line) are ignored. */
export function hex(text: string): Buffer {
  const digits = text.replace(/#[^\n]*/g, '').replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`bad hex fixture: ${text}`);
  return Buffer.from(digits, 'hex');
}

/** Spaced lower-case hex of a buffer, for readable failure messages. */
export function toHex(buf: Uint8Array): string {
  return Buffer.from(buf)
    .toString('hex')
    .replace(/(..)(?!$)/g, '$1 ');
}

const SERVER_SENT = new Set(['connack', 'suback', 'unsuback', 'pingresp']);

/** Who naturally sends a packet (a PUBLISH carrying subscription identifiers comes from a server). */
export function senderOf(p: Packet): Direction {
  if (SERVER_SENT.has(p.type)) return 'server';
  if (p.type === 'publish' && p.properties?.subscriptionIdentifiers) return 'server';
  return 'client';
}

const WITH_REASON = new Set(['puback', 'pubrec', 'pubrel', 'pubcomp', 'disconnect', 'auth']);

function dropEmpty(o: Record<string, unknown>): void {
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (v === undefined) delete o[k];
    else if (k === 'properties' && v !== null && typeof v === 'object' && Object.keys(v).length === 0) delete o[k];
  }
}

/**
 * The logical content of a packet, for comparisons that must not depend on representation
 * choices the contract leaves open: undefined fields and empty property sets are dropped,
 * a 5.0 reason code omitted on the wire means 0, and subscription options default to off.
 */
export function canon(p: Packet, level: ProtocolLevel): Record<string, unknown> {
  const c = structuredCloneWithBuffers(p) as Record<string, unknown>;
  if (c.properties) dropEmpty(c.properties as Record<string, unknown>);
  dropEmpty(c);
  if (level === 5 && WITH_REASON.has(p.type) && c.reasonCode === undefined) c.reasonCode = 0;
  if (c.will) {
    const w = c.will as Record<string, unknown>;
    if (w.properties) dropEmpty(w.properties as Record<string, unknown>);
    dropEmpty(w);
  }
  if (Array.isArray(c.subscriptions)) {
    c.subscriptions = (c.subscriptions as Record<string, unknown>[]).map((s) => ({
      topicFilter: s.topicFilter,
      qos: s.qos,
      noLocal: s.noLocal ?? false,
      retainAsPublished: s.retainAsPublished ?? false,
      retainHandling: s.retainHandling ?? 0,
    }));
  }
  return c;
}

function structuredCloneWithBuffers(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return Buffer.from(v);
  if (v instanceof Uint8Array) return Buffer.from(v);
  if (Array.isArray(v)) return v.map(structuredCloneWithBuffers);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = structuredCloneWithBuffers(x);
    return out;
  }
  return v;
}
