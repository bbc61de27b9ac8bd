/**
 * The reference broker: owns the session manager, router, retained store and persistence,
 * and serves clients over any duplex byte stream via `handle()`. Transport-agnostic.
 */
import type { Duplex } from 'node:stream';
import { systemClock, systemScheduler } from '../common/index.ts';
import { Connection } from './connection.ts';
import { ConnCore } from './conn-core.ts';
import type { ConnEffects, ConnSink } from './conn-api.ts';
import { BrokerEffects } from './conn-effects.ts';
import type { BrokerContext, BrokerStats, ConnectionLike } from './context.ts';
import { silentLogger } from './logger.ts';
import type { Message } from './message.ts';
import { resolveCaps, resolveLimits, resolveVariant, type BrokerOptions } from './options.ts';
import { MemoryPersistence } from './persistence.ts';
import { PublishCache } from './publish-cache.ts';
import { RetainedStore } from './retained-store.ts';
import { Router } from './router.ts';
import { SessionManager } from './sessions.ts';
import { ConnSweep } from './conn-sweep.ts';
import { installMisbehave, willPublisher } from './misbehave.ts';
import { sysMessages, SYS_PREFIX } from './sys-topics.ts';

export class Broker {
  readonly stats: BrokerStats;
  /** Resolves once persisted state is loaded; `handle()` waits for it on its own. */
  readonly ready: Promise<void>;
  /** Carries out a core's broker-side actions (route, persist, timers, session end): for a RecordingSink to forward to. */
  readonly effects: ConnEffects;
  private readonly ctx: BrokerContext;
  private loaded = false;
  private sysTimer: (() => void) | null = null;
  private closed: Promise<void> | null = null;
  private loadFailureLogged = false;

  constructor(options: BrokerOptions = {}) {
    const scheduler = options.scheduler ?? systemScheduler(options.clock ?? systemClock);
    const clock = options.scheduler ?? options.clock ?? systemClock;
    const persistence = options.persistence ?? new MemoryPersistence();
    const logger = options.logger ?? silentLogger;
    const limits = resolveLimits(options.limits);
    const variant = resolveVariant(options.variant);
    const router = new Router(persistence, variant.copyPerSubscription);
    const retained = new RetainedStore();
    if (options.misbehave) installMisbehave(router, options.misbehave, logger, retained);
    this.stats = {
      clientsConnected: 0,
      messagesReceived: 0,
      messagesSent: 0,
      messagesDropped: 0,
      protocolViolations: 0,
      startedAt: clock.now(),
    };
    const connections = new Set<ConnectionLike>();
    const ctx: BrokerContext = {
      caps: resolveCaps(options.capabilities),
      limits,
      clock,
      scheduler,
      logger,
      authenticator: options.authenticator,
      authorizer: options.authorizer,
      authMechanisms: new Map((options.authMechanisms ?? []).map((m) => [m.method, m])),
      allowAnonymous: options.allowAnonymous ?? true,
      persistence,
      router,
      retained,
      sessions: null as unknown as SessionManager,
      pubCache: new PublishCache(),
      misbehave: options.misbehave ?? {},
      variant,
      stats: this.stats,
      live: new Map<string, ConnectionLike>(),
      connections,
      sweep: new ConnSweep(connections, scheduler),
      closing: false,
      publish: (msg) => this.publish(msg),
    };
    ctx.sessions = new SessionManager(
      router,
      persistence,
      limits,
      logger,
      willPublisher(options.misbehave, ctx.publish),
      scheduler,
    );
    this.ctx = ctx;
    this.effects = new BrokerEffects(ctx);
    const on = Object.entries(variant)
      .filter(([, v]) => v)
      .map(([k]) => k);
    if (on.length > 0) logger.info('variant mode (legal but unlike the default)', { switches: on.join(', ') });
    this.ready = persistence.load().then((state) => {
      const now = clock.now();
      for (const m of state.retained) retained.restore(m);
      ctx.sessions.restore(state, now);
      this.loaded = true;
      const every = options.sysIntervalMs ?? 0;
      if (every > 0 && !ctx.closing) {
        const tick = () => {
          this.publishSys();
          this.sysTimer = scheduler.setTimer(every, tick);
        };
        tick();
      }
    });
    // Whoever awaits `ready` (startBroker, the CLI) reports a failed load; handle() logs it once if it serves a client meanwhile.
    this.ready.catch(() => undefined);
  }

  /** Serve one client over a duplex byte stream (TCP, TLS, WebSocket stream, ...). */
  handle(stream: Duplex, meta: { transport: string; remoteAddress?: string }): void {
    if (this.ctx.closing) {
      stream.destroy();
      return;
    }
    if (!this.loaded) {
      stream.pause();
      this.ready.then(
        () => {
          this.handle(stream, meta);
          stream.resume();
        },
        (e: unknown) => {
          if (!this.loadFailureLogged)
            this.ctx.logger.error('loading persisted state failed; refusing clients', { error: String(e) });
          this.loadFailureLogged = true;
          stream.destroy();
        },
      );
      return;
    }
    try {
      new Connection(this.ctx, stream, meta.transport, meta.remoteAddress);
    } catch (e) {
      this.ctx.logger.error('failed to set up connection', { error: String(e) });
      stream.destroy();
    }
  }

  /**
   * Sans-IO: open a connection whose actions all go to `sink` (both ports: the transport's and
   * the broker-side ones) instead of a socket and this broker, and drive it with
   * `handle(core, event, now)` (conn-events.ts). A `RecordingSink(broker.effects)` records every
   * action and has this broker carry out the broker-side ones. Call once `ready` has resolved.
   */
  attach(sink: ConnSink & ConnEffects, meta: { transport: string; remoteAddress?: string }): ConnCore {
    if (!this.loaded) throw new Error('Broker.attach: await broker.ready first');
    if (this.ctx.closing) throw new Error('Broker.attach: the broker is closing');
    return new ConnCore(this.ctx, sink, meta.transport, meta.remoteAddress);
  }

  /** Publish a message as if from a client (no publisher id, so No Local never applies). */
  publish(msg: Message): void {
    const ctx = this.ctx;
    if (msg.retain && ctx.caps.retainAvailable) {
      // Keep a compact copy: an inbound payload may be a view into a much larger socket chunk.
      const stored =
        msg.payload.length > 0 && msg.payload.buffer.byteLength > msg.payload.length + 64
          ? { ...msg, payload: Buffer.from(msg.payload) }
          : msg;
      const change = ctx.retained.apply(stored);
      if (!msg.topic.startsWith(SYS_PREFIX)) {
        if (change.kind === 'set') ctx.persistence.setRetained(change.msg);
        else if (change.kind === 'clear') ctx.persistence.clearRetained(change.topic);
      }
    }
    // The clock is read only for a message that can expire (two clock reads per message were 4% of QoS 0 time).
    ctx.router.route(msg, msg.expiresAt === undefined ? 0 : ctx.clock.now());
  }

  /**
   * Stop accepting, publish the wills of every client that did not DISCONNECT normally, then
   * disconnect everyone (5.0: DISCONNECT 0x8B), flush and close persistence.
   *
   * Wills at shutdown (3.1.1 / 5.0 MQTT-3.1.2-8): the server closing the connection is not a
   * normal DISCONNECT, so each live client's will is published (through the normal will path:
   * write authorization, retain flag, 5.0 properties and Message Expiry). They go out while every
   * subscriber is still connected, so live subscribers receive them before their DISCONNECT, and
   * QoS 1/2 copies for persistent sessions are recorded before persistence is synced and closed
   * (an unacknowledged one is redelivered after a restart). A 5.0 Will Delay Interval: with
   * durable (file) persistence, a will still waiting out its delay in a session that persists is
   * recorded with the session and published after the restart when due (or when the session
   * ends). Without durable persistence it cannot be kept: it is published at once, and so are the
   * wills of already disconnected sessions still waiting for their delay.
   */
  close(): Promise<void> {
    if (this.closed) return this.closed;
    const ctx = this.ctx;
    ctx.closing = true;
    if (this.sysTimer) this.sysTimer();
    this.sysTimer = null;
    this.closed = (async () => {
      await this.ready.catch(() => undefined);
      if (this.loaded) {
        let wills = 0;
        for (const c of [...ctx.connections]) if (c instanceof ConnCore && c.publishWillAtShutdown()) wills++;
        if (!ctx.persistence.durable) wills += ctx.sessions.firePendingWills();
        if (wills > 0) ctx.logger.info('published wills at shutdown', { count: wills });
      }
      for (const c of [...ctx.connections]) c.disconnect(0x8b);
      ctx.sweep.stop();
      ctx.sessions.stopTimers();
      await ctx.persistence.sync().catch(() => undefined);
      await ctx.persistence.close();
    })();
    return this.closed;
  }

  /** Number of sessions held (connected or not). */
  get sessionCount(): number {
    return this.ctx.sessions.sessions.size;
  }

  private publishSys(): void {
    for (const m of sysMessages(this.stats, this.ctx.clock.now())) this.publish(m);
  }
}
