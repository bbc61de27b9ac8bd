import { connect, type Socket } from 'node:net';
import { encodePacket, PacketReader, type Packet, type ProtocolLevel } from '../../src/codec/index.ts';
import { FrameScanner, type FrameHandler } from './frame-scanner.ts';

/**
 * A lean MQTT client for load generation: one TCP socket, our codec, writes batched per event
 * loop turn. It does no QoS bookkeeping of its own; the load roles (publisher, subscriber) do
 * exactly the protocol steps they need.
 */
export class RawClient {
  private readonly reader: PacketReader;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private scheduled = false;
  /** Set by lean(): frames go to a FrameScanner instead of the strict decoder. */
  private scanner: FrameScanner | null = null;
  /** Small acks (4 bytes each) gathered in one buffer between flushes. */
  private acks: Buffer | null = null;
  private ackLen = 0;
  onPacket: (p: Packet) => void = () => {};
  onClose: (why: string) => void = () => {};
  closed = false;

  private constructor(
    readonly socket: Socket,
    readonly level: ProtocolLevel,
  ) {
    this.reader = new PacketReader({ protocolLevel: level, from: 'server' });
    socket.on('data', (chunk: Buffer) => {
      if (this.scanner !== null) return this.scanner.push(chunk);
      for (const r of this.reader.push(chunk)) {
        if (!r.ok) {
          this.socket.destroy();
          this.onClose(`bad packet from broker: ${r.violation.message}`);
          return;
        }
        this.onPacket(r.packet);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      this.onClose('socket closed');
    });
  }

  static open(host: string, port: number, level: ProtocolLevel = 4, timeoutMs = 10_000): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ host, port, noDelay: true });
      const t = setTimeout(() => (s.destroy(), reject(new Error(`connect to ${host}:${port} timed out`))), timeoutMs);
      s.once('connect', () => {
        clearTimeout(t);
        resolve(new RawClient(s, level));
      });
      s.once('error', (e) => {
        clearTimeout(t);
        reject(e);
      });
    });
  }

  /**
   * Switches incoming bytes to the lean framer (after CONNACK/SUBACK, before load starts):
   * onFrame sees every packet's first byte and body in place, without a decoded object.
   */
  lean(onFrame: FrameHandler): void {
    this.scanner = new FrameScanner(onFrame, (m) => {
      this.socket.destroy();
      this.onClose(`bad frame from broker: ${m}`);
    });
  }

  /** Queues a 4-byte ack (PUBACK 0x40, PUBREC 0x50, PUBREL 0x62, PUBCOMP 0x70). */
  ack(first: number, packetId: number): void {
    if (this.acks === null) this.acks = Buffer.allocUnsafe(64 * 1024);
    else if (this.ackLen + 4 > this.acks.length) this.flush();
    const a = this.acks;
    const o = this.ackLen;
    a[o] = first;
    a[o + 1] = 2;
    a[o + 2] = packetId >> 8;
    a[o + 3] = packetId & 0xff;
    this.ackLen = o + 4;
    this.schedule();
  }

  private schedule(): void {
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Queues a packet; queued packets go out in one write at the end of this turn. */
  send(p: Packet): void {
    this.sendRaw(encodePacket(p, this.level));
  }

  sendRaw(b: Buffer): void {
    this.pending.push(b);
    this.pendingBytes += b.length;
    this.schedule();
  }

  /** Writes what is queued now; returns false when the socket wants us to wait for 'drain'. */
  flush(): boolean {
    this.scheduled = false;
    if (this.ackLen > 0) {
      this.pending.push(Buffer.from(this.acks!.subarray(0, this.ackLen)));
      this.pendingBytes += this.ackLen;
      this.ackLen = 0;
    }
    if (this.pending.length === 0 || this.closed) return true;
    const buf = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    return this.socket.write(buf);
  }

  drained(): Promise<void> {
    return this.socket.writableNeedDrain ? new Promise((r) => this.socket.once('drain', () => r())) : Promise.resolve();
  }

  /** CONNECT and wait for CONNACK; rejects when refused or on timeout. */
  handshake(clientId: string, opts: { clean?: boolean; keepAlive?: number } = {}, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no CONNACK for ${clientId} within ${timeoutMs} ms`)), timeoutMs);
      const prev = this.onPacket;
      this.onPacket = (p) => {
        if (p.type !== 'connack') return;
        clearTimeout(t);
        this.onPacket = prev;
        if (p.reasonCode !== 0) reject(new Error(`CONNACK refused ${clientId}: ${p.reasonCode}`));
        else resolve();
      };
      this.send({
        type: 'connect',
        protocolName: this.level === 3 ? 'MQIsdp' : 'MQTT',
        protocolLevel: this.level,
        clean: opts.clean ?? true,
        keepAlive: opts.keepAlive ?? 0,
        clientId,
      });
    });
  }

  subscribe(filter: string, qos: 0 | 1 | 2, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no SUBACK for ${filter}`)), timeoutMs);
      const prev = this.onPacket;
      this.onPacket = (p) => {
        if (p.type !== 'suback') return prev(p);
        clearTimeout(t);
        this.onPacket = prev;
        if (p.reasonCodes[0] >= 0x80) reject(new Error(`SUBACK refused ${filter}: ${p.reasonCodes[0]}`));
        else resolve();
      };
      this.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: filter, qos }] });
    });
  }

  close(): void {
    if (this.closed) return;
    this.send({ type: 'disconnect' });
    this.flush();
    this.socket.end();
  }
}
