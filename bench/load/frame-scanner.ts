/**
 * A lean MQTT framer for the load generator's hot path: it splits a byte stream into packets
 * (fixed header + remaining length) and hands each frame as (first byte, buffer, body start,
 * body end) without decoding it into an object. The strict codec (PacketReader) is far too
 * costly per message to keep up with a C broker on one shared core; the load roles only need
 * the packet type, QoS, packet id and the payload's send stamp, which they read in place.
 * A malformed remaining length is reported, never skipped over silently.
 */
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
      let len = 0;
      let mul = 1;
      let i = pos + 1;
      let complete = false;
      for (let k = 0; k < 4 && i < n; k++) {
        const b = buf[i++];
        len += (b & 0x7f) * mul;
        mul *= 128;
        if ((b & 0x80) === 0) {
          complete = true;
          break;
        }
        if (k === 3) {
          this.onError(`remaining length longer than 4 bytes at offset ${pos}`);
          return;
        }
      }
      if (!complete || i + len > n) break;
      this.onFrame(buf[pos], buf, i, i + len);
      pos = i + len;
    }
    if (pos < n) this.rest = buf.subarray(pos);
  }
}
