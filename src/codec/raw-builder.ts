import type { Packet, ProtocolLevel } from './packet-types.ts';
import { encodePacket } from './encode.ts';

/**
 * Parse hex text into bytes. Whitespace, '|' separators, optional 0x prefixes and comments
 * ('# ...' or '// ...' to the end of the line) are ignored. Throws on anything else.
 */
export function hexToBuffer(hex: string): Buffer {
  const cleaned = hex
    .split('\n')
    .map((line) => line.replace(/(#|\/\/).*$/, ''))
    .join(' ')
    .replace(/0x/gi, ' ')
    .replace(/[\s|,]+/g, '');
  const bad = cleaned.search(/[^0-9a-fA-F]/);
  if (bad >= 0)
    throw new Error(`hexToBuffer: not a hex digit: ${JSON.stringify(cleaned[bad])} in ${JSON.stringify(hex)}`);
  if (cleaned.length % 2 !== 0)
    throw new Error(`hexToBuffer: odd number of hex digits (${cleaned.length}) in ${JSON.stringify(hex)}`);
  return Buffer.from(cleaned, 'hex');
}

/** Bytes given as a Buffer, a number array or hex text. */
export type ByteSpec = Uint8Array | readonly number[] | string;

export function toBytes(b: ByteSpec): Buffer {
  if (typeof b === 'string') return hexToBuffer(b);
  return Buffer.from(b as Uint8Array);
}

/**
 * Variable Byte Integer bytes for `value`, padded to `width` bytes when given (a non-minimal
 * encoding); width 5 makes the over-long encodings a strict decoder must refuse.
 */
export function varintBytes(value: number, width?: number): Buffer {
  const out: number[] = [];
  let v = value;
  do {
    out.push(v % 128);
    v = Math.floor(v / 128);
  } while (v > 0);
  while (width !== undefined && out.length < width) out.push(0);
  for (let i = 0; i < out.length - 1; i++) out[i] |= 0x80;
  return Buffer.from(out);
}

export interface RawOverrides {
  /** Replace the whole first byte. */
  byte0?: number;
  /** Replace the packet type (high nibble of byte 1). */
  type?: number;
  /** Replace the four flag bits (low nibble of byte 1). */
  flags?: number;
  /** Remaining Length: a number (minimally encoded, may disagree with the body) or raw bytes. */
  remainingLength?: number | ByteSpec;
  /** Replace the body (everything after the fixed header). */
  body?: ByteSpec;
  /** Replace the content of the first length-prefixed string equal to `find` with `bytes` (its prefix follows). */
  corruptString?: { find: string; bytes: ByteSpec };
  /** Drop this many bytes from the end of the body. */
  truncate?: number;
  /** Bytes to append after the last field. */
  append?: ByteSpec;
  /** Overwrite bytes of the finished packet at these offsets (fixed header included). */
  patch?: ReadonlyArray<{ offset: number; bytes: ByteSpec }>;
}

/** Split an encoded packet into byte 1 and body. */
function splitEncoded(enc: Buffer): { byte0: number; body: Buffer } {
  let i = 1;
  while (enc[i] & 0x80) i++;
  return { byte0: enc[0], body: enc.subarray(i + 1) };
}

/**
 * Encode `packet` at `level`, then break it as asked, for negative tests. Changes apply in
 * this order: body, corruptString, truncate, append, then the fixed header, then patches.
 * The Remaining Length follows the changed body unless `remainingLength` is given.
 */
export function buildRaw(packet: Packet, level: ProtocolLevel, o: RawOverrides = {}): Buffer {
  const enc = splitEncoded(encodePacket(packet, level));
  let body = o.body !== undefined ? toBytes(o.body) : Buffer.from(enc.body);
  if (o.corruptString) body = corruptString(body, o.corruptString.find, toBytes(o.corruptString.bytes));
  if (o.truncate) body = body.subarray(0, Math.max(0, body.length - o.truncate));
  if (o.append !== undefined) body = Buffer.concat([body, toBytes(o.append)]);
  let byte0 = enc.byte0;
  if (o.type !== undefined) byte0 = ((o.type & 0x0f) << 4) | (byte0 & 0x0f);
  if (o.flags !== undefined) byte0 = (byte0 & 0xf0) | (o.flags & 0x0f);
  if (o.byte0 !== undefined) byte0 = o.byte0 & 0xff;
  const rl =
    o.remainingLength === undefined
      ? varintBytes(body.length)
      : typeof o.remainingLength === 'number'
        ? varintBytes(o.remainingLength)
        : toBytes(o.remainingLength);
  const out = Buffer.concat([Buffer.from([byte0]), rl, body]);
  for (const p of o.patch ?? []) {
    const bytes = toBytes(p.bytes);
    if (p.offset < 0 || p.offset + bytes.length > out.length) {
      throw new Error(
        `buildRaw: patch at ${p.offset} (${bytes.length} bytes) is outside the ${out.length}-byte packet`,
      );
    }
    bytes.copy(out, p.offset);
  }
  return out;
}

/** Concatenate a fixed header and body by hand: `rawPacket(0x30, body)`. */
export function rawPacket(byte0: number, body: ByteSpec, remainingLength?: number | ByteSpec): Buffer {
  const b = toBytes(body);
  const rl =
    remainingLength === undefined
      ? varintBytes(b.length)
      : typeof remainingLength === 'number'
        ? varintBytes(remainingLength)
        : toBytes(remainingLength);
  return Buffer.concat([Buffer.from([byte0 & 0xff]), rl, b]);
}

function corruptString(body: Buffer, find: string, bytes: Buffer): Buffer {
  const needle = Buffer.from(find, 'utf8');
  const prefixed = Buffer.concat([Buffer.from([needle.length >> 8, needle.length & 0xff]), needle]);
  const at = body.indexOf(prefixed);
  if (at < 0) throw new Error(`buildRaw: string ${JSON.stringify(find)} not found in the encoded packet`);
  const head = body.subarray(0, at);
  const tail = body.subarray(at + prefixed.length);
  return Buffer.concat([head, Buffer.from([bytes.length >> 8, bytes.length & 0xff]), bytes, tail]);
}
