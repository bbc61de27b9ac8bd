/**
 * The network half of a virtual device: dial, CONNECT/CONNACK handshake, framing with the
 * strict codec, keep-alive pings, and reconnecting with seeded, jittered exponential backoff.
 * The MQTT session semantics live in Device, which extends this.
 */
import type { Duplex } from 'node:stream';
import { encodePacket, PacketReader, type ConnackPacket, type ConnectPacket, type Packet } from '../codec/index.ts';
import type { Clock, Rng } from '../common/index.ts';
import { dial } from '../transport/index.ts';

export interface LinkSettings {
  url: string;
  level: 4 | 5;
  /** Seconds; 0 disables pings. */
  keepAlive: number;
  connectTimeoutMs: number;
  backoff?: { initialMs?: number; maxMs?: number; maxAttempts?: number };
  rng: Rng;
  clock: Clock;
}

export abstract class DeviceLink {
  protected stream: Duplex | undefined;
  protected connectedFlag = false;
  protected stopped = false;
  private attempts = 0;
  private lastSent = 0;
  private pingSentAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private connack: ((p: Packet | Error) => void) | undefined;

  constructor(protected readonly link: LinkSettings) {}

  get connected(): boolean {
    return this.connectedFlag;
  }

  /** A packet from the server other than CONNACK. */
  protected abstract onPacket(p: Packet): void;
  /** The connection is gone (before any drop is recorded): fail what waited on it. */
  protected abstract onDetach(reason: string): void;
  /** An established connection was lost without us asking: record it. */
  protected abstract onDrop(reason: string): void;
  protected abstract reconnect(): Promise<boolean>;
  /** Called every 100 ms while connected (after keep-alive handling). */
  protected abstract onTick(now: number): void;

  protected startTimer(): void {
    this.timer ??= setInterval(() => this.tick(), 100);
  }

  /** Dials, sends CONNECT and waits for an accepting CONNACK; on any failure the stream is closed. */
  protected async handshake(connect: ConnectPacket): Promise<ConnackPacket | Error> {
    let stream: Duplex;
    try {
      stream = (await dial(this.link.url, { timeoutMs: this.link.connectTimeoutMs })).stream;
    } catch (e) {
      return e as Error;
    }
    if (this.stopped) {
      stream.destroy();
      return new Error('stopped');
    }
    this.attach(stream);
    const ack = new Promise<Packet | Error>((resolve) => (this.connack = resolve));
    const t = setTimeout(() => this.connack?.(new Error('no CONNACK in time')), this.link.connectTimeoutMs);
    this.send(connect);
    const r = await ack;
    clearTimeout(t);
    this.connack = undefined;
    if (r instanceof Error || r.type !== 'connack' || r.reasonCode !== 0) {
      if (this.stream === stream) this.detach('connect failed', false);
      if (r instanceof Error) return r;
      return new Error(
        r.type === 'connack' ? `CONNACK refused 0x${r.reasonCode.toString(16)}` : `unexpected ${r.type} before CONNACK`,
      );
    }
    this.connectedFlag = true;
    this.attempts = 0;
    return r;
  }

  private attach(stream: Duplex): void {
    this.stream = stream;
    const reader = new PacketReader({ protocolLevel: this.link.level, from: 'server' });
    stream.on('data', (chunk: Buffer) => {
      if (this.stream !== stream) return;
      for (const r of reader.push(chunk)) {
        if (!r.ok) return this.detach(`protocol violation from server: ${r.violation.message}`, true);
        if (r.packet.type === 'connack') this.connack?.(r.packet);
        else if (r.packet.type === 'pingresp') this.pingSentAt = undefined;
        else this.onPacket(r.packet);
        if (this.stream !== stream) return;
      }
    });
    stream.on('error', () => {});
    stream.on('close', () => {
      if (this.stream === stream) this.detach('connection closed', true);
    });
  }

  /** Drops the connection: cleans up, records a drop (if it was up and `record`) and maybe reconnects. */
  protected detach(reason: string, record: boolean): void {
    const s = this.stream;
    this.stream = undefined;
    const was = this.connectedFlag;
    this.connectedFlag = false;
    this.pingSentAt = undefined;
    s?.destroy();
    this.connack?.(new Error(reason));
    this.onDetach(reason);
    if (was && record) {
      this.onDrop(reason);
      this.scheduleReconnect();
    }
  }

  protected scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer !== undefined) return;
    const b = this.link.backoff ?? {};
    if (this.attempts >= (b.maxAttempts ?? 1000)) return;
    const base = Math.min(b.maxMs ?? 2000, (b.initialMs ?? 50) * 2 ** Math.min(this.attempts, 16));
    this.attempts++;
    const delay = Math.round(base * (0.5 + this.link.rng.next() / 2));
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.stopped && !this.connectedFlag) void this.reconnect();
    }, delay);
  }

  protected send(p: Packet): void {
    if (this.stream === undefined) return;
    this.lastSent = this.link.clock.now();
    this.stream.write(encodePacket(p, this.link.level));
  }

  private tick(): void {
    if (!this.connectedFlag || this.stream === undefined) return;
    const now = this.link.clock.now();
    const ka = this.link.keepAlive * 1000;
    if (this.pingSentAt !== undefined && now - this.pingSentAt > ka)
      return this.detach('keep-alive: no PINGRESP', true);
    if (ka > 0 && this.pingSentAt === undefined && now - this.lastSent >= ka * 0.75) {
      this.pingSentAt = now;
      this.send({ type: 'pingreq' });
    }
    this.onTick(now);
  }

  protected clearTimers(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.timer = undefined;
    this.reconnectTimer = undefined;
  }
}
