/**
 * Splits a byte stream into MQTT frames (fixed header + Remaining Length bytes) without
 * interpreting them; used only to give each decoded packet its wire bytes for the trace.
 * The strict decoding is the codec's job.
 */
export class Framer {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const frames: Buffer[] = [];
    for (;;) {
      const len = frameLength(this.buf);
      if (len === undefined || len > this.buf.length) break;
      frames.push(this.buf.subarray(0, len));
      this.buf = this.buf.subarray(len);
    }
    return frames;
  }

  /** Bytes received but not yet part of a whole frame. */
  rest(): Buffer {
    return this.buf;
  }
}

/** Total frame length, or undefined while the header is incomplete or unreadable. */
export function frameLength(b: Buffer): number | undefined {
  let mult = 1;
  let value = 0;
  for (let i = 1; i <= 4; i++) {
    if (i >= b.length) return undefined;
    const byte = b[i];
    value += (byte & 0x7f) * mult;
    if ((byte & 0x80) === 0) return 1 + i + value;
    mult *= 128;
  }
  return undefined;
}

/** The protocol level a raw CONNECT frame announces, if these bytes are one. */
export function sniffConnectLevel(b: Buffer): number | undefined {
  if (b.length < 2 || b[0] >> 4 !== 1) return undefined;
  let i = 1;
  while (i < b.length && i <= 4 && (b[i] & 0x80) !== 0) i++;
  i++; // past the last Remaining Length byte
  if (i + 2 > b.length) return undefined;
  const nameLen = b.readUInt16BE(i);
  const at = i + 2 + nameLen;
  return at < b.length ? b[at] : undefined;
}
