import type { ProtocolLevel } from './packet-types.ts';
import type { ProtocolViolation } from './violation.ts';
import type { DecodeResult } from './decode-types.ts';
import { asBuffer, decodeBody, readRemainingLength, tooLarge } from './decode.ts';
import { peekConnectLevel } from './decode-connect.ts';

export interface PacketReaderOptions {
  /** Level of the connection; defaults to 5. A CONNECT sets it from its own header. */
  protocolLevel?: ProtocolLevel;
  /** Largest whole packet accepted; checked as soon as the Remaining Length is known. */
  maximumPacketSize?: number;
  from?: 'client' | 'server';
  /**
   * Give every result the wire bytes of its packet (`bytes`): for traces and tests. Off on the
   * broker's hot path.
   */
  keepBytes?: boolean;
}

/** Bytes allocated for a packet before more of it has arrived. */
const FIRST_ALLOC = 64 * 1024;

/**
 * Incremental framer plus strict decoder for one byte stream. Gives the same packets however
 * the stream is split. A packet that lies whole inside one pushed chunk is decoded in place
 * (its payload is a view into that chunk, so do not reuse chunk memory). After the first
 * violation the reader is dead: it reports nothing more, and the stream should be closed.
 */
export class PacketReader {
  protocolLevel: ProtocolLevel;
  maximumPacketSize: number | undefined;
  from: 'client' | 'server' | undefined;
  readonly keepBytes: boolean;
  /** The violation that killed the reader, if any. */
  violation: ProtocolViolation | undefined = undefined;

  /** Partial fixed header (at most 5 bytes) while the Remaining Length is incomplete. */
  private head = Buffer.alloc(5);
  private headLen = 0;
  /**
   * Whole-packet buffer being filled once the size is known. It grows with the bytes that
   * arrive (up to `frameTotal`): a header declaring 256 MiB does not allocate 256 MiB.
   */
  private frame: Buffer | null = null;
  private frameTotal = 0;
  private filled = 0;
  private bodyStart = 0;

  constructor(opts: PacketReaderOptions = {}) {
    this.protocolLevel = opts.protocolLevel ?? 5;
    this.maximumPacketSize = opts.maximumPacketSize;
    this.from = opts.from;
    this.keepBytes = opts.keepBytes ?? false;
  }

  get dead(): boolean {
    return this.violation !== undefined;
  }

  /** Bytes held for an incomplete packet. */
  get buffered(): number {
    return this.frame ? this.filled : this.headLen;
  }

  push(chunk: Buffer): DecodeResult[] {
    const out: DecodeResult[] = [];
    if (this.violation) return out;
    if (!Buffer.isBuffer(chunk)) chunk = asBuffer(chunk);
    const n = chunk.length;
    let pos = 0;
    while (pos < n) {
      if (this.frame) {
        // Filling a packet whose size is known.
        const take = Math.min(n - pos, this.frameTotal - this.filled);
        if (this.filled + take > this.frame.length) this.grow(this.filled + take);
        chunk.copy(this.frame, this.filled, pos, pos + take);
        this.filled += take;
        pos += take;
        if (this.filled < this.frameTotal) break;
        const frame = this.frame;
        this.frame = null;
        if (!this.emit(frame, this.bodyStart, out)) return out;
        continue;
      }
      if (this.headLen === 0) {
        // At a packet boundary with nothing buffered: try to frame straight from the chunk.
        const type = chunk[pos] >> 4;
        const rl = readRemainingLength(chunk, pos + 1, n, this.headerLevel(type), type);
        if (rl === null) {
          chunk.copy(this.head, 0, pos, n);
          this.headLen = n - pos;
          break;
        }
        if ('kind' in rl) return this.die(rl, out, chunk.subarray(pos, Math.min(n, pos + 5)));
        const total = 1 + rl.size + rl.value;
        if (!this.sizeOk(type, total, out)) return out;
        if (pos + total <= n) {
          const ok = this.emit(chunk.subarray(pos, pos + total), 1 + rl.size, out);
          pos += total;
          if (!ok) return out;
          continue;
        }
        this.startFrame(total, 1 + rl.size);
        continue;
      }
      // Completing a partial fixed header one byte at a time (at most 5 bytes).
      this.head[this.headLen++] = chunk[pos++];
      const type = this.head[0] >> 4;
      const rl = readRemainingLength(this.head, 1, this.headLen, this.headerLevel(type), type);
      if (rl === null) continue;
      if ('kind' in rl) return this.die(rl, out, Buffer.from(this.head.subarray(0, this.headLen)));
      const total = 1 + rl.size + rl.value;
      if (!this.sizeOk(type, total, out)) return out;
      const headBytes = this.headLen;
      this.headLen = 0;
      this.startFrame(total, 1 + rl.size);
      this.head.copy(this.frame!, 0, 0, headBytes);
      this.filled = headBytes;
      if (this.filled === total) {
        const frame = this.frame!;
        this.frame = null;
        if (!this.emit(frame, this.bodyStart, out)) return out;
      }
    }
    return out;
  }

  /** Minimal-encoding checks need the level; a CONNECT's level is checked once it is whole. */
  private headerLevel(type: number): ProtocolLevel {
    return type === 1 ? 4 : this.protocolLevel;
  }

  private startFrame(total: number, bodyStart: number): void {
    this.frame = Buffer.allocUnsafe(Math.min(total, FIRST_ALLOC));
    this.frameTotal = total;
    this.filled = 0;
    this.bodyStart = bodyStart;
  }

  /** Make room for `need` bytes of the frame (doubling, never beyond its declared size). */
  private grow(need: number): void {
    const next = Buffer.allocUnsafe(Math.min(this.frameTotal, Math.max(need, this.frame!.length * 2)));
    this.frame!.copy(next, 0, 0, this.filled);
    this.frame = next;
  }

  private sizeOk(type: number, total: number, out: DecodeResult[]): boolean {
    const max = this.maximumPacketSize;
    if (max === undefined || total <= max) return true;
    this.die(tooLarge(this.protocolLevel, type, total, max, this.from), out);
    return false;
  }

  private die(v: ProtocolViolation, out: DecodeResult[], bytes?: Buffer): DecodeResult[] {
    this.violation = v;
    this.frame = null;
    this.headLen = 0;
    out.push(this.keepBytes && bytes ? { ok: false, violation: v, bytes } : { ok: false, violation: v });
    return out;
  }

  /** Decode one whole frame and append the result; false when the reader died. */
  private emit(frame: Buffer, bodyStart: number, out: DecodeResult[]): boolean {
    const type = frame[0] >> 4;
    let level = this.protocolLevel;
    if (type === 1) {
      // A CONNECT speaks the level in its own header, valid or not, so that what follows
      // (a CONNACK for a broken CONNECT, say) can be in the client's version.
      level = peekConnectLevel(frame, level);
      this.protocolLevel = level;
      if (level === 5) {
        const rl = readRemainingLength(frame, 1, frame.length, 5, 1);
        if (rl !== null && 'kind' in rl) {
          this.die(rl, out, frame);
          return false;
        }
      }
    }
    const r = decodeBody(frame, bodyStart, frame.length, level, this.from);
    if (!r.ok) {
      this.die(r.violation, out, frame);
      return false;
    }
    if (r.packet.type === 'connect') this.protocolLevel = r.packet.protocolLevel;
    if (this.keepBytes) r.bytes = frame;
    out.push(r);
    return true;
  }
}
