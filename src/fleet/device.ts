/**
 * A virtual device: a lean, correct MQTT client on the codec that reconnects with backoff,
 * keeps its persistent session, resends unacknowledged QoS 1/2 with DUP after a resume, and
 * records every operation into a shared history.
 */
import type { Packet, QoS } from '../codec/index.ts';
import { createRng, systemClock, type Clock } from '../common/index.ts';
import type { HistoryRecorder } from '../checker/index.ts';
import { DeviceLink } from './device-link.ts';
import { Outbound } from './outbound.ts';
import { connectPlan, type DeviceOptions } from './connect-plan.ts';

type Outcome = 'ok' | 'fail' | 'info';
export type { DeviceOptions };

export class Device extends DeviceLink {
  readonly id: string;
  readonly level: 4 | 5;
  private readonly o: Required<Pick<DeviceOptions, 'keepAlive' | 'ackTimeoutMs' | 'connectTimeoutMs'>> & DeviceOptions;
  private readonly rec: HistoryRecorder;
  private readonly clock: Clock;
  private readonly out: Outbound;
  private connecting: Promise<boolean> | undefined;
  private connects = 0;
  private seq = 0;
  private subSeq = 0;
  private readonly inboundQos2 = new Set<number>();
  private readonly subs: { filter: string; qos: QoS }[] = [];
  private readonly subWaiters = new Map<number, { key: string; done: (ok: boolean) => void }>();
  private readonly pubWaiters = new Map<string, (o: Outcome) => void>();
  private readonly outcomes = new Map<string, Outcome>();
  private readonly maxInflight: number;
  received = 0;
  drops = 0;

  constructor(opts: DeviceOptions) {
    const o = { keepAlive: 5, ackTimeoutMs: 3000, connectTimeoutMs: 3000, ...opts };
    const clock = opts.clock ?? systemClock;
    super({
      url: o.url,
      level: opts.level ?? 4,
      keepAlive: o.keepAlive,
      connectTimeoutMs: o.connectTimeoutMs,
      backoff: o.backoff,
      rng: opts.rng ?? createRng(0),
      clock,
    });
    this.o = o;
    this.id = opts.clientId;
    this.level = opts.level ?? 4;
    this.rec = opts.recorder;
    this.clock = clock;
    this.maxInflight = opts.maxInflight ?? 20;
    this.out = new Outbound(this.maxInflight, opts.maxQueued ?? 10_000);
  }

  /** Everything sent was acknowledged and nothing is queued. */
  get idle(): boolean {
    return this.out.idle && this.pubWaiters.size === 0;
  }

  /** Connects (first connection); resolves true once CONNACK accepted it. */
  async start(): Promise<boolean> {
    this.stopped = false;
    this.startTimer();
    return this.connect();
  }

  protected override reconnect(): Promise<boolean> {
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
    const r = await this.handshake(pkt);
    if (r instanceof Error) {
      this.rec.complete(key, 'fail', { reason: r.message });
      this.scheduleReconnect();
      return false;
    }
    this.rec.complete(key, 'ok', { sessionPresent: r.sessionPresent });
    const rm = r.properties?.receiveMaximum;
    this.out.maxInflight = Math.max(1, Math.min(this.maxInflight, rm ?? Number.POSITIVE_INFINITY));
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

  protected override onDetach(reason: string): void {
    for (const [, w] of this.subWaiters) {
      this.rec.complete(w.key, 'info', { reason });
      w.done(false);
    }
    this.subWaiters.clear();
  }

  protected override onDrop(reason: string): void {
    this.drops++;
    this.rec.record(this.id, 'info', 'drop', { reason });
  }

  protected override onPacket(p: Packet): void {
    switch (p.type) {
      case 'publish': {
        const repeat = p.qos === 2 && p.packetId !== undefined && this.inboundQos2.has(p.packetId);
        this.received++;
        this.rec.record(this.id, 'ok', 'receive', {
          msgId: p.payload.toString('utf8'),
          topic: p.topic,
          qos: p.qos,
          retain: p.retain,
          dup: p.dup,
          packetId: p.packetId,
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

  protected override onTick(now: number): void {
    const oldest = this.out.oldestSentAt();
    if (oldest !== undefined && now - oldest > this.o.ackTimeoutMs) this.detach('acknowledgement timeout', true);
  }

  /** Publishes one application message (payload = its message id); resolves with the outcome. */
  publish(topic: string, qos: QoS, opts: { retain?: boolean; empty?: boolean } = {}): Promise<Outcome> {
    const msgId = `${this.id}:${this.seq++}`;
    const retain = opts.retain === true;
    this.rec.invoke(
      this.id,
      'publish',
      { msgId, topic, qos, retain, ...(opts.empty ? { empty: true } : {}) },
      `pub:${msgId}`,
    );
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
    this.send({
      type: 'subscribe',
      packetId,
      subscriptions: filters.map((f) => ({ topicFilter: f.filter, qos: f.qos })),
    });
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
}
