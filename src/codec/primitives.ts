import type { Id311, Id50 } from '../spec/types.ts';
import type { ProtocolLevel } from './packet-types.ts';
import type { ProtocolViolation } from './violation.ts';
import { checkUtf8 } from './utf8.ts';
import { MALFORMED, violation } from './violations.ts';

export const PACKET_NAMES = [
  'RESERVED',
  'CONNECT',
  'CONNACK',
  'PUBLISH',
  'PUBACK',
  'PUBREC',
  'PUBREL',
  'PUBCOMP',
  'SUBSCRIBE',
  'SUBACK',
  'UNSUBSCRIBE',
  'UNSUBACK',
  'PINGREQ',
  'PINGRESP',
  'DISCONNECT',
  'AUTH',
] as const;

/** Largest value a Variable Byte Integer can hold (4 bytes). */
export const VARINT_MAX = 268_435_455;

type SliceBuf = Buffer & {
  latin1Slice?(start: number, end: number): string;
  utf8Slice?(start: number, end: number): string;
};
const proto = Buffer.prototype as SliceBuf;
/** Node's unchecked slice-to-string methods when present (they skip argument checks), else toString. */
const latin1 =
  typeof proto.latin1Slice === 'function'
    ? (b: Buffer, s: number, e: number): string => (b as SliceBuf).latin1Slice!(s, e)
    : (b: Buffer, s: number, e: number): string => b.toString('latin1', s, e);
const utf8 =
  typeof proto.utf8Slice === 'function'
    ? (b: Buffer, s: number, e: number): string => (b as SliceBuf).utf8Slice!(s, e)
    : (b: Buffer, s: number, e: number): string => b.toString('utf8', s, e);

/**
 * Bounds-checked reader over one packet. Every read either returns a value or records the
 * first violation in `err` and returns a sentinel (-1 / undefined); callers check `err`.
 */
export class Cursor {
  err: ProtocolViolation | undefined = undefined;
  constructor(
    public buf: Buffer,
    public pos: number,
    public end: number,
    public level: ProtocolLevel,
    public type: number,
  ) {}

  get name(): string {
    return PACKET_NAMES[this.type];
  }
  remaining(): number {
    return this.end - this.pos;
  }

  /** Record a violation (only the first one counts). Always returns undefined. */
  fail(id311: Id311 | null, id50: Id50 | null, msg: string, reasonCode: number, offset = this.pos): undefined {
    if (!this.err) this.err = violation(this.level, id311, id50, `${this.name}: ${msg}`, reasonCode, this.type, offset);
    return undefined;
  }

  private short(what: string, need: number): -1 {
    this.fail(
      null,
      null,
      `truncated: ${what} needs ${need} byte(s) at offset ${this.pos} but only ${this.end - this.pos} remain`,
      MALFORMED,
    );
    return -1;
  }

  u8(what: string): number {
    if (this.pos >= this.end) return this.short(what, 1);
    return this.buf[this.pos++];
  }

  u16(what: string): number {
    const p = this.pos;
    if (p + 2 > this.end) return this.short(what, 2);
    this.pos = p + 2;
    return (this.buf[p] << 8) | this.buf[p + 1];
  }

  u32(what: string): number {
    const p = this.pos;
    if (p + 4 > this.end) return this.short(what, 4);
    this.pos = p + 4;
    return this.buf.readUInt32BE(p);
  }

  /** Variable Byte Integer: at most 4 bytes; at level 5 the encoding must be minimal. */
  varint(what: string): number {
    const start = this.pos;
    const r = peekVarint(this.buf, start, this.end);
    if (r === VARINT_INCOMPLETE) return this.short(what, 1);
    if (r === VARINT_TOO_LONG) {
      this.fail(
        null,
        null,
        `${what} at offset ${start} is a Variable Byte Integer longer than 4 bytes`,
        MALFORMED,
        start,
      );
      return -1;
    }
    if (this.level === 5 && !varintIsMinimal(this.buf, start, r)) {
      this.fail(null, 'MQTT-1.5.5-1', `${what} at offset ${start} is not minimally encoded`, MALFORMED, start);
      return -1;
    }
    this.pos = start + varintSize(r);
    return varintValue(r);
  }

  /** Two-byte-length-prefixed binary data, as a zero-copy view. */
  binary(what: string): Buffer | undefined {
    const len = this.u16(`${what} length`);
    if (len < 0) return undefined;
    const p = this.pos;
    if (p + len > this.end) {
      this.short(what, len);
      return undefined;
    }
    this.pos = p + len;
    return this.buf.subarray(p, p + len);
  }

  /** Length-prefixed UTF-8 string, validated (well-formed, no U+0000, BOM kept). */
  utf8(what: string): string | undefined {
    const len = this.u16(`${what} length`);
    if (len < 0) return undefined;
    const p = this.pos;
    const e = p + len;
    if (e > this.end) {
      this.short(what, len);
      return undefined;
    }
    const buf = this.buf;
    let i = p;
    while (i < e) {
      const b = buf[i];
      if (b === 0 || b > 0x7f) break;
      i++;
    }
    this.pos = e;
    if (i === e) return latin1(buf, p, e);
    const bad = checkUtf8(buf, i, e);
    if (bad) {
      if (bad.nul)
        return this.fail(
          'MQTT-1.5.3-2',
          'MQTT-1.5.4-2',
          `${what} contains U+0000 at offset ${bad.index}`,
          MALFORMED,
          bad.index,
        );
      return this.fail(
        'MQTT-1.5.3-1',
        'MQTT-1.5.4-1',
        `${what} is not well-formed UTF-8 at offset ${bad.index}`,
        MALFORMED,
        bad.index,
      );
    }
    return utf8(buf, p, e);
  }
}

// ---------------------------------------------------------------- Variable Byte Integer

/** peekVarint: the bytes before `end` stop inside the integer. */
export const VARINT_INCOMPLETE = -1;
/** peekVarint: a fifth byte would be needed (1.5.5 allows at most four). */
export const VARINT_TOO_LONG = -2;

/**
 * The one reader of a Variable Byte Integer (the Remaining Length and every length or property of
 * that form, 1.5.5), lenient about minimal encoding (callers at level 5 check that with
 * varintIsMinimal). Allocation-free: returns `value * 8 + size` (size 1..4 bytes; see varintValue
 * and varintSize), or VARINT_INCOMPLETE, or VARINT_TOO_LONG.
 */
export function peekVarint(buf: ArrayLike<number>, at: number, end: number = buf.length): number {
  let value = 0;
  let mult = 1;
  for (let i = 0; i < 4; i++) {
    if (at + i >= end) return VARINT_INCOMPLETE;
    const b = buf[at + i];
    value += (b & 0x7f) * mult;
    if ((b & 0x80) === 0) return value * 8 + i + 1;
    mult *= 128;
  }
  return VARINT_TOO_LONG;
}

/** The value of a complete peekVarint result. */
export function varintValue(r: number): number {
  return (r - (r & 7)) / 8;
}

/** The size in bytes of a complete peekVarint result. */
export function varintSize(r: number): number {
  return r & 7;
}

/** A complete peekVarint result at `at` used the fewest bytes (5.0 MQTT-1.5.5-1: no trailing 0x80 0x00). */
export function varintIsMinimal(buf: ArrayLike<number>, at: number, r: number): boolean {
  return (r & 7) === 1 || buf[at + (r & 7) - 1] !== 0;
}

/**
 * Where the body of the packet that starts at `at` begins (after its type byte and Remaining
 * Length), or -1 when the Remaining Length is cut off or longer than four bytes.
 */
export function bodyOffset(buf: ArrayLike<number>, at = 0): number {
  const r = peekVarint(buf, at + 1);
  return r < 0 ? -1 : at + 1 + (r & 7);
}

// ---------------------------------------------------------------- encoding helpers

export function varintLength(v: number): number {
  return v < 128 ? 1 : v < 16_384 ? 2 : v < 2_097_152 ? 3 : 4;
}

export function writeVarint(buf: Buffer, off: number, v: number): number {
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) b |= 0x80;
    buf[off++] = b;
  } while (v > 0);
  return off;
}

export function writeU16(buf: Buffer, off: number, v: number): number {
  buf[off] = v >>> 8;
  buf[off + 1] = v & 0xff;
  return off + 2;
}

export function writeU32(buf: Buffer, off: number, v: number): number {
  buf.writeUInt32BE(v >>> 0, off);
  return off + 4;
}

/** Write a string whose UTF-8 byte length is already known. */
export function writeUtf8(buf: Buffer, off: number, s: string, byteLen: number): number {
  off = writeU16(buf, off, byteLen);
  if (byteLen === s.length) {
    for (let i = 0; i < byteLen; i++) buf[off + i] = s.charCodeAt(i);
    return off + byteLen;
  }
  buf.write(s, off, byteLen, 'utf8');
  return off + byteLen;
}

export function writeBinary(buf: Buffer, off: number, b: Uint8Array): number {
  off = writeU16(buf, off, b.length);
  buf.set(b, off);
  return off + b.length;
}
