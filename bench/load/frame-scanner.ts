/**
 * A lean MQTT framer for the load generator's hot path: it splits a byte stream into packets
 * (fixed header + remaining length) and hands each frame as (first byte, buffer, body start,
 * body end) without decoding it into an object. The strict codec (PacketReader) is far too
 * costly per message to keep up with a C broker on one shared core; the load roles only need
 * the packet type, QoS, packet id and the payload's send stamp, which they read in place.
 * A malformed remaining length is reported, never skipped over silently.
 */
import { peekVarint, VARINT_INCOMPLETE, VARINT_TOO_LONG, varintSize, varintValue } from '../../src/codec/index.ts';
export type FrameHandler = (first: number, buf: Buffer, start: number, end: number) => void;

export class FrameScanner {
  private rest: Buffer | null = null;

  constructor(
    private readonly onFrame: FrameHandler,
    private readonly onError: (message: string) => void,
  ) {}

  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.rest !== null) {
      buf = Buffer.concat([this.rest, chunk]);
      this.rest = null;
    }
    const n = buf.length;
    let pos = 0;
    while (pos < n) {
      if (n - pos < 2) break;
      const r = peekVarint(buf, pos + 1, n);
      if (r === VARINT_TOO_LONG) {
        this.onError(`remaining length longer than 4 bytes at offset ${pos}`);
        return;
      }
      if (r === VARINT_INCOMPLETE) break;
      const i = pos + 1 + varintSize(r);
      const len = varintValue(r);
      if (i + len > n) break;
      this.onFrame(buf[pos], buf, i, i + len);
      pos = i + len;
    }
    if (pos < n) this.rest = buf.subarray(pos);
  }
}
