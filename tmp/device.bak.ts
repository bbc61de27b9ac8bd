/**
 * A virtual device: a lean, correct MQTT client on the codec that reconnects with backoff,
 * keeps its persistent session, resends unacknowledged QoS 1/2 with DUP after a resume, and
 * records every operation into a shared history.
 */
import type { Duplex } from 'node:stream';
import { encodePacket, PacketReader, type Packet, type QoS } from '../codec/index.ts';
import { createRng, systemClock, type Clock, type Rng } from '../common/index.ts';
import { dial } from '../transport/index.ts';
import type { HistoryRecorder } from '../checker/index.ts';
import { Outbound } from './outbound.ts';
import { connectPlan, type DeviceOptions } from './connect-plan.ts';

type Outcome = 'ok' | 'fail' | 'info';
export type { DeviceOptions };

export class Device {
  readonly id: string;
  readonly level: 4 | 5;
  private readonly o: Required<Pick<DeviceOptions, 'keepAlive' | 'ackTimeoutMs' | 'connectTimeoutMs'>> & DeviceOptions;
  private readonly rec: HistoryRecorder;
  private readonly clock: Clock;
  private readonly rng: Rng;
  private readonly out: Outbound;
  private stream: Duplex | undefined;
  private connectedFlag = false;
  private stopped = false;
  private connecting: Promise<boolean> | undefined;
  private connects = 0;
  private attempts = 0;
  private seq = 0;
  private subSeq = 0;
  private lastSent = 0;
  private pingSentAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private connack: ((p: Packet | Error) => void) | undefined;
  private readonly inboundQos2 = new Set<number>();
  private readonly subs: { filter: string; qos: QoS }[] = [];
  private readonly subWaiters = new Map<number, { key: string; done: (ok: boolean) => void }>();
  private readonly pubWaiters = new Map<string, (o: Outcome) => void>();
  private readonly outcomes = new Map<string, Outcome>();
  private readonly maxInflight: number;
  received = 0;
  drops = 0;

  constructor(opts: DeviceOptions) {
    this.o = { keepAlive: 5, ackTimeoutMs: 3000, connectTimeoutMs: 3000, ...opts };
    this.id = opts.clientId;
    this.level = opts.level ?? 4;
    this.rec = opts.recorder;
    this.clock = opts.clock ?? systemClock;
    this.rng = opts.rng ?? createRng(0);
    this.maxInflight = opts.maxInflight ?? 20;
    this.out = new Outbound(this.maxInflight, opts.maxQueued ?? 10_000);
  }

  get connected(): boolean {
    return this.connectedFlag;
  }

  /** Everything sent was acknowledged and nothing is queued. */
  get idle(): boolean {
    return this.out.idle && this.pubWaiters.size === 0;
  }

  /** Connects (first connection); resolves true once CONNACK accepted it. */
  async start(): Promise<boolean> {
    this.stopped = false;
    this.timer ??= setInterval(() => this.tick(), 100);
    return this.connect();
  }

  connect(): Promise<boolean> {
    this.connecting ??= this.connectOnce().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connectOnce(): Promise<boolean> {
    const { persistent, value, packet: pkt } = connectPlan(this.o, this.level, this.connects);
    this.connects++;
    const key = `conn:${this.id}`;
    this.rec.invoke(this.id, 'connect', value, key);
    let stream: Duplex;
    try {
      stream = (await dial(this.o.url, { timeoutMs: this.o.connectTimeoutMs })).stream;
    } catch (e) {
      this.rec.complete(key, 'fail', { reason: (e as Error).message });
      this.scheduleReconnect();
      return false;
    }
    if (this.stopped) {
      stream.destroy();
      this.rec.complete(key, 'fail', { reason: 'stopped' });
      return false;
    }
    this.attach(stream);
    const ack = new Promise<Packet | Error>((resolve) => (this.connack = resolve));
    const t = setTimeout(() => this.connack?.(new Error('no CONNACK in time')), this.o.connectTimeoutMs);
    this.send(pkt);
    const r = await ack;
    clearTimeout(t);
    this.connack = undefined;
    if (r instanceof Error || r.type !== 'connack' || r.reasonCode !== 0) {
      const reason = r instanceof Error ? r.message : r.type === 'connack' ? `CONNACK refused 0x${r.reasonCode.toString(16)}` : `unexpected ${r.type}`;
      this.rec.complete(key, 'fail', { reason });
      if (this.stream === stream) this.detach('connect failed', false);
      this.scheduleReconnect();
      return false;
    }
    this.rec.complete(key, 'ok', { sessionPresent: r.sessionPresent });
    const rm = r.properties?.receiveMaximum;
    this.out.maxInflight = Math.max(1, Math.min(this.maxInflight, rm ?? Number.POSITIVE_INFINITY));
    this.connectedFlag = true;
    this.attempts = 0;
    const now = this.clock.now();
    if (r.sessionPresent && persistent) {
      for (const p of this.out.resend(now)) this.send(p);
    } else {
      for (const f of this.out.clearFlights()) {
        if (f.state === 'publish') this.finishPub(f.msgId, 'info', 'session not resumed');
        else this.resolvePub(f.msgId);
      }
      this.inboundQos2.clear();
      if (this.subs.length > 0) this.sendSubscribe([...this.subs]);
    }
    this.pump();
    return true;
  }

  private attach(stream: Duplex): void {
    this.stream = stream;
    const reader = new PacketReader({ protocolLevel: this.level, from: 'server' });
    stream.on('data', (chunk: Buffer) => {
      if (this.stream !== stream) return;
      for (const r of reader.push(chunk)) {
        if (!r.ok) {
          this.detach(`protocol violation from server: ${r.violation.message}`, true);
          return;
        }
        this.onPacket(r.packet);
      }
    });
    stream.on('error', () => {});
    stream.on('close', () => {
      if (this.stream === stream) this.detach('connection closed', true);
    });
  }

  /** The connection is gone: record a drop (if it was up) and maybe reconnect. */
  private detach(reason: string, record: boolean): void {
    const s = this.stream;
    this.stream = undefined;
    const was = this.connectedFlag;
    this.connectedFlag = false;
    this.pingSentAt = undefined;
    s?.destroy();
    this.connack?.(new Error(reason));
    for (const [, w] of this.subWaiters) {
      this.rec.complete(w.key, 'info', { reason });
      w.done(false);
    }
    this.subWaiters.clear();
    if (was && record) {
      this.drops++;
      this.rec.record(this.id, 'info', 'drop', { reason });
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer !== undefined) return;
    const b = this.o.backoff ?? {};
    if (this.attempts >= (b.maxAttempts ?? 1000)) return;
    const base = Math.min(b.maxMs ?? 2000, (b.initialMs ?? 50) * 2 ** Math.min(this.attempts, 16));
    this.attempts++;
    const delay = Math.round(base * (0.5 + this.rng.next() / 2));
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.stopped && !this.connectedFlag) void this.connect();
    }, delay);
  }

  private send(p: Packet): void {
    if (this.stream === undefined) return;
    this.lastSent = this.clock.now();
    this.stream.write(encodePacket(p, this.level));
  }

  private onPacket(p: Packet): void {
    switch (p.type) {
      case 'connack':
        this.connack?.(p);
        break;
      case 'publish': {
        const repeat = p.qos === 2 && p.packetId !== undefined && this.inboundQos2.has(p.packetId);
        this.received++;
        this.rec.record(this.id, 'ok', 'receive', {
          msgId: p.payload.toString('utf8'), topic: p.topic, qos: p.qos, retain: p.retain, dup: p.dup, packetId: p.packetId,
          ...(repeat ? { repeat: true } : {}),
        });
        if (p.qos === 1) this.send({ type: 'puback', packetId: p.packetId! });
        else if (p.qos === 2) {
          this.inboundQos2.add(p.packetId!);
          this.send({ type: 'pubrec', packetId: p.packetId! });
        }
        break;
      }
      case 'pubrel':
        this.inboundQos2.delete(p.packetId);
        this.send({ type: 'pubcomp', packetId: p.packetId });
        break;
      case 'puback': {
        const f = this.out.flights.get(p.packetId);
        if (f === undefined || f.qos !== 1) break;
        this.out.flights.delete(p.packetId);
        this.finishPub(f.msgId, (p.reasonCode ?? 0) >= 0x80 ? 'fail' : 'ok');
        this.pump();
        break;
      }
      case 'pubrec': {
        const f = this.out.flights.get(p.packetId);
        if (f === undefined || f.qos !== 2) break;
        if ((p.reasonCode ?? 0) >= 0x80) {
          this.out.flights.delete(p.packetId);
          this.finishPub(f.msgId, 'fail');
          this.pump();
          break;
        }
        if (f.state === 'publish') this.rec.complete(`pub:${f.msgId}`, 'ok', { packetId: f.packetId });
        this.outcomes.set(f.msgId, 'ok');
        f.state = 'pubrel';
        f.sentAt = this.clock.now();
        this.send({ type: 'pubrel', packetId: p.packetId });
        break;
      }
      case 'pubcomp': {
        const f = this.out.flights.get(p.packetId);
        if (f === undefined || f.state !== 'pubrel') break;
        this.out.flights.delete(p.packetId);
        this.resolvePub(f.msgId);
        this.pump();
        break;
      }
      case 'suback': {
        const w = this.subWaiters.get(p.packetId);
        if (w === undefined) break;
        this.subWaiters.delete(p.packetId);
        this.rec.complete(w.key, 'ok', { granted: p.reasonCodes });
        w.done(p.reasonCodes.every((c) => c < 0x80));
        break;
      }
      case 'pingresp':
        this.pingSentAt = undefined;
        break;
      case 'disconnect':
        this.detach(`server DISCONNECT 0x${(p.reasonCode ?? 0).toString(16)}`, true);
        break;
      default:
        break;
    }
  }

  private finishPub(msgId: string, outcome: Outcome, reason?: string): void {
    this.rec.complete(`pub:${msgId}`, outcome, reason ? { reason } : {});
    this.outcomes.set(msgId, this.outcomes.get(msgId) ?? outcome);
    this.resolvePub(msgId);
  }

  private resolvePub(msgId: string): void {
    const w = this.pubWaiters.get(msgId);
    this.pubWaiters.delete(msgId);
    w?.(this.outcomes.get(msgId) ?? 'info');
    this.outcomes.delete(msgId);
  }

  private pump(): void {
    if (!this.connectedFlag) return;
    for (const p of this.out.pump(this.clock.now())) this.send(p);
  }

  private tick(): void {
    const now = this.clock.now();
    if (!this.connectedFlag || this.stream === undefined) return;
    const ka = this.o.keepAlive * 1000;
    if (this.pingSentAt !== undefined && now - this.pingSentAt > ka) return this.detach('keep-alive: no PINGRESP', true);
    if (ka > 0 && this.pingSentAt === undefined && now - this.lastSent >= ka * 0.75) {
      this.pingSentAt = now;
      this.send({ type: 'pingreq' });
    }
    const oldest = this.out.oldestSentAt();
    if (oldest !== undefined && now - oldest > this.o.ackTimeoutMs) this.detach('acknowledgement timeout', true);
  }

  /** Publishes one application message (payload = its message id); resolves with the outcome. */
  publish(topic: string, qos: QoS, opts: { retain?: boolean; empty?: boolean } = {}): Promise<Outcome> {
    const msgId = `${this.id}:${this.seq++}`;
    const retain = opts.retain === true;
    this.rec.invoke(this.id, 'publish', { msgId, topic, qos, retain, ...(opts.empty ? { empty: true } : {}) }, `pub:${msgId}`);
    const payload = opts.empty ? Buffer.alloc(0) : Buffer.from(msgId);
    if (qos === 0) {
      if (!this.connectedFlag) {
        this.rec.complete(`pub:${msgId}`, 'fail', { reason: 'not connected' });
        return Promise.resolve('fail');
      }
      this.send({ type: 'publish', topic, payload, qos: 0, retain, dup: false });
      this.rec.complete(`pub:${msgId}`, 'info', { reason: 'QoS 0 has no acknowledgement' });
      return Promise.resolve('info');
    }
    if (!this.out.enqueue({ msgId, topic, qos, retain, payload })) {
      this.rec.complete(`pub:${msgId}`, 'fail', { reason: 'send queue full' });
      return Promise.resolve('fail');
    }
    const p = new Promise<Outcome>((resolve) => this.pubWaiters.set(msgId, resolve));
    this.pump();
    return p;
  }

  /** Subscribes (and remembers the filters for re-subscribing when a session is not resumed). */
  subscribe(filters: { filter: string; qos: QoS }[]): Promise<boolean> {
    for (const f of filters) if (!this.subs.some((s) => s.filter === f.filter)) this.subs.push(f);
    return this.sendSubscribe(filters);
  }

  private sendSubscribe(filters: { filter: string; qos: QoS }[]): Promise<boolean> {
    if (!this.connectedFlag) return Promise.resolve(false);
    const packetId = 1 + (this.subSeq++ % 65535);
    const key = `sub:${this.id}:${packetId}:${this.subSeq}`;
    this.rec.invoke(this.id, 'subscribe', { filters, packetId }, key);
    const done = new Promise<boolean>((resolve) => this.subWaiters.set(packetId, { key, done: resolve }));
    this.send({ type: 'subscribe', packetId, subscriptions: filters.map((f) => ({ topicFilter: f.filter, qos: f.qos })) });
    return done;
  }

  /** Normal DISCONNECT (the will is discarded); no reconnect afterwards. */
  async disconnect(): Promise<void> {
    this.stopped = true;
    this.clearTimers();
    const s = this.stream;
    if (s === undefined || !this.connectedFlag) return;
    this.rec.invoke(this.id, 'disconnect', {}, `disc:${this.id}`);
    this.send({ type: 'disconnect', ...(this.level === 5 ? { reasonCode: 0 } : {}) });
    this.stream = undefined;
    this.connectedFlag = false;
    await new Promise<void>((resolve) => s.end(resolve));
    s.destroy();
    this.rec.complete(`disc:${this.id}`, 'ok');
  }

  /** Ungraceful end: the socket is destroyed without DISCONNECT (the will fires); no reconnect. */
  crash(reason = 'crash'): void {
    this.stopped = true;
    this.clearTimers();
    this.detach(reason, true);
  }

  /** Stops reconnecting and timers; closes any socket without recording (end of run). */
  close(): void {
    this.stopped = true;
    this.clearTimers();
    const s = this.stream;
    this.stream = undefined;
    this.connectedFlag = false;
    s?.destroy();
    for (const [msgId] of this.pubWaiters) this.finishPub(msgId, 'info', 'device closed');
  }

  private clearTimers(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.timer = undefined;
    this.reconnectTimer = undefined;
  }
}
