import { VARINT_MAX, varintLength, writeVarint } from './primitives.ts';

/** Thrown by the encoder for input that cannot be put on the wire, naming the field. */
export class EncodeError extends Error {
  constructor(
    public readonly field: string,
    message: string,
  ) {
    super(`cannot encode ${field}: ${message}`);
    this.name = 'EncodeError';
  }
}

/** UTF-8 byte length of a string field, checked against the two-byte length prefix. */
export function strLen(s: unknown, field: string): number {
  if (typeof s !== 'string') throw new EncodeError(field, `expected a string, got ${typeof s}`);
  const n = s.length < 0x5555 ? Buffer.byteLength(s) : Buffer.byteLength(s, 'utf8');
  if (n > 65535) throw new EncodeError(field, `UTF-8 string of ${n} bytes exceeds 65535`);
  return n;
}

export function binLen(b: unknown, field: string): number {
  if (!(b instanceof Uint8Array)) throw new EncodeError(field, 'expected a Buffer');
  if (b.length > 65535) throw new EncodeError(field, `binary data of ${b.length} bytes exceeds 65535`);
  return b.length;
}

export function checkU16(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 65535) {
    throw new EncodeError(field, `expected an integer 0..65535, got ${String(v)}`);
  }
  return v;
}

export function checkU8(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 255) {
    throw new EncodeError(field, `expected an integer 0..255, got ${String(v)}`);
  }
  return v;
}

/** Allocate the whole packet and write its fixed header; the body starts at the returned offset. */
export function allocPacket(byte0: number, remaining: number, type: string): { buf: Buffer; off: number } {
  if (remaining > VARINT_MAX) throw new EncodeError(`${type} Remaining Length`, `${remaining} exceeds ${VARINT_MAX}`);
  const buf = Buffer.allocUnsafe(1 + varintLength(remaining) + remaining);
  buf[0] = byte0;
  return { buf, off: writeVarint(buf, 1, remaining) };
}

/** Throw if the writer did not fill exactly the computed size (an encoder bug). */
export function assertFilled(buf: Buffer, off: number, type: string): Buffer {
  if (off !== buf.length) throw new EncodeError(type, `internal size mismatch (${off} != ${buf.length})`);
  return buf;
}
