import { Duplex } from 'node:stream';
import type { WebSocket, RawData } from 'ws';

/** Close code for a text frame: MQTT over WebSocket carries binary frames only. */
const UNSUPPORTED_DATA = 1003;

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/**
 * A byte stream over one WebSocket. Each binary frame's payload is pushed as it comes, so an MQTT
 * packet may span frames or a frame may carry several packets; the MQTT framer above sorts that
 * out. Writes queued while a frame is being sent go out together as one frame (_writev).
 * A text frame closes the connection (MQTT-6.0.0-1).
 */
export class WebSocketDuplex extends Duplex {
  private paused = false;

  constructor(readonly ws: WebSocket) {
    super({ allowHalfOpen: false, writableHighWaterMark: 64 * 1024 });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) {
        ws.close(UNSUPPORTED_DATA, 'MQTT over WebSocket needs binary frames');
        this.destroy(new Error('WebSocket text frame received; MQTT needs binary frames (MQTT-6.0.0-1)'));
        return;
      }
      if (!this.push(toBuffer(data)) && !this.paused) {
        this.paused = true;
        ws.pause();
      }
    });
    // End the readable side only: bytes already pushed (say, a DISCONNECT sent just before the
    // close) are still delivered; with allowHalfOpen false the stream then ends and closes itself.
    ws.once('close', () => this.push(null));
    ws.on('error', (e) => this.destroy(e));
  }

  override _read(): void {
    if (this.paused) {
      this.paused = false;
      this.ws.resume();
    }
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    if (this.ws.readyState !== this.ws.OPEN) return cb(new Error('WebSocket is not open'));
    this.ws.send(chunk, { binary: true }, (e) => cb(e ?? null));
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, cb: (e?: Error | null) => void): void {
    const all = chunks.length === 1 ? chunks[0].chunk : Buffer.concat(chunks.map((c) => c.chunk));
    this._write(all, 'binary', cb);
  }

  override _final(cb: (e?: Error | null) => void): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(1000);
    cb();
  }

  override _destroy(err: Error | null, cb: (e: Error | null) => void): void {
    const s = this.ws.readyState;
    if (s === this.ws.OPEN || s === this.ws.CONNECTING) {
      if (err) this.ws.terminate();
      else this.ws.close(1000);
    }
    cb(err);
  }
}
