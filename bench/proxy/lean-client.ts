/**
 * A lean MQTT 3.1.1 client for the proxy benchmark: our codec encodes CONNECT / SUBSCRIBE /
 * PUBLISH, and a fixed-header scanner counts what arrives, so the client itself costs little.
 */
import { connect, type Socket } from 'node:net';
import {
  encodePacket,
  peekVarint,
  VARINT_INCOMPLETE,
  VARINT_TOO_LONG,
  varintSize,
  varintValue,
} from '../../src/codec/index.ts';

export class Lean {
  private pending: Buffer | null = null;
  publishes = 0;
  /** Called for every PUBLISH with the buffer and the offset of its variable header. */
  onPublish: ((frame: Buffer, bodyStart: number) => void) | undefined;
  private waiter: { type: number; resolve: () => void } | undefined;

  private constructor(readonly s: Socket) {
    s.on('data', (c: Buffer) => this.data(c));
    s.on('error', () => {});
  }

  static async open(port: number, id: string, timeoutMs = 5000): Promise<Lean> {
    const s = connect(port, '127.0.0.1');
    s.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(
        () => (s.destroy(), reject(new Error(`connect to :${port} timed out after ${timeoutMs} ms`))),
        timeoutMs,
      );
      s.once('connect', () => (clearTimeout(t), resolve()));
      s.once('error', (e) => (clearTimeout(t), reject(e)));
    });
    const c = new Lean(s);
    const ack = c.expect(2);
    s.write(
      encodePacket(
        { type: 'connect', protocolName: 'MQTT', protocolLevel: 4, clean: true, keepAlive: 60, clientId: id },
        4,
      ),
    );
    await ack;
    return c;
  }

  /** Resolves when a packet of this type number arrives (3 = any PUBLISH seen). */
  expect(type: number, ms = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no packet type ${type} within ${ms} ms`)), ms);
      this.waiter = { type, resolve: () => (clearTimeout(t), resolve()) };
    });
  }

  async subscribe(topic: string): Promise<void> {
    const ack = this.expect(9);
    this.s.write(encodePacket({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: topic, qos: 0 }] }, 4));
    await ack;
  }

  private data(chunk: Buffer): void {
    const b = this.pending === null ? chunk : Buffer.concat([this.pending, chunk]);
    this.pending = null;
    let off = 0;
    while (off < b.length) {
      const r = peekVarint(b, off + 1);
      if (r === VARINT_TOO_LONG) throw new Error(`remaining length longer than 4 bytes at offset ${off}`);
      if (r === VARINT_INCOMPLETE) return void (this.pending = b.subarray(off));
      const i = off + 1 + varintSize(r);
      const rl = varintValue(r);
      if (i + rl > b.length) return void (this.pending = b.subarray(off));
      const type = b[off] >> 4;
      if (type === 3) {
        this.publishes++;
        this.onPublish?.(b, i);
      } else if (this.waiter?.type === type) this.waiter.resolve();
      off = i + rl;
    }
    if (this.publishes > 0 && this.waiter?.type === 3) this.waiter.resolve();
  }

  close(): void {
    this.s.destroy();
  }
}
