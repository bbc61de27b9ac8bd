/**
 * The protocol core of one client connection: its MQTT state and the handling of every event
 * (a decoded packet, a codec violation, input seen, the sweep's timer tick, a persistence sync
 * completed or failed, the transport closing). It does no I/O. Its actions go to two injected
 * ports (conn-api.ts), both implemented by one object, `out` (the socket shell in connection.ts,
 * or a RecordingSink in tests): bytes to send and the close to its ConnSink side; routing
 * (`fx.route`, `fx.deliver`), persistence writes (`fx.persist.*`), sync requests (`fx.sync`,
 * answered by the durable / sync-failed events), timers (`fx.armTimer`) and the session's end
 * with its will (`fx.sessionClosed`), and subscriptions added or removed (`fx.subscribe`,
 * `fx.unsubscribe`) to its ConnEffects side (`fx`; the shell inherits BrokerEffects,
 * conn-effects.ts). Time comes from the broker's injected clock and scheduler.
 * The broker context (`ctx`) is read for queries: caps, limits, variant, clock, logger,
 * authenticator / authorizer, `persistence.durable`, `sessions.open` (which finds or makes the
 * session and ends a connection it takes over), `retained.match`, the live-client map. Still
 * written through it: stats counters, the connection registries (`connections`, `live`) and
 * `heldWrites` (publish-flow's hold of other connections' writes).
 * `handle(core, event, now)` (conn-events.ts) is the event-shaped entry point; the shell calls
 * the same methods directly so the hot path allocates no event objects. The will: conn-will.ts.
 * (A little over 300 lines: a connection's protocol state and its event handling stay in one class.)
 */
import {
  encodePacket,
  type AckPacket,
  type Packet,
  type ProtocolLevel,
  type ProtocolViolation,
  type ConnectPacket,
} from '../codec/index.ts';
import { formatRef, ref311, ref50, type StatementRef } from '../spec/types.ts';
import type { AuthSession, ClientInfo } from './hooks.ts';
import type { BrokerContext, ConnectionLike } from './context.ts';
import type { Message, Outgoing } from './message.ts';
import { deliverOutgoing, deliverQos0, resumeDeliveries } from './delivery.ts';
import type { Session } from './session.ts';
import { handleViolation, routePacket } from './dispatch.ts';
import { SyncWaits } from './sync-waits.ts';
import { keepsDelayedWill, publishWillAtShutdown, takeWill } from './conn-will.ts';
import {
  ConnState,
  genericErrorCode,
  type Conn,
  type ConnEffects,
  type ConnSink,
  type ConnStateT,
  type DurableAckQueue,
  type DurableListener,
} from './conn-api.ts';

export class ConnCore implements Conn, ConnectionLike, DurableListener {
  state: ConnStateT = ConnState.New;
  protocolLevel: ProtocolLevel = 4;
  clientId = '';
  info: ClientInfo | null = null;
  session: Session | null = null;
  /** Packets waiting while an async step (authentication) runs. */
  backlog: Packet[] | null = null;
  keepAliveMs = 0;
  lastRx: number;
  /** When the transport opened; the CONNECT deadline counts from here. */
  private readonly openedAt: number;
  aliasIn: Map<number, string> | null = null;
  clientMaxPacket = Infinity;
  aliasOutMax = 0;
  aliasOut: Map<string, number> | null = null;
  pendingAlias = 0;
  problemInfo = true;
  will: Message | null = null;
  willExpiry: number | undefined = undefined;
  willDelay = 0;
  discardWill = false;
  authMethod: string | undefined = undefined;
  authSession: AuthSession | null = null;
  reauthing = false;
  /** The CONNECT waiting for an enhanced-authentication exchange to finish. */
  pendingConnect: { p: ConnectPacket; assigned: boolean } | null = null;
  pendingAcks = 0;
  durableAcks: DurableAckQueue | null = null;
  checkReads = false;
  inboundBase = 0;
  /** Waits for syncs asked for by afterDurable (created on first use). */
  private syncs: SyncWaits | null = null;

  constructor(
    readonly ctx: BrokerContext,
    /** Both output ports in one object (the shell, or a RecordingSink): no extra field per connection. */
    readonly out: ConnSink & ConnEffects,
    readonly transport: string,
    readonly remoteAddress: string | undefined,
  ) {
    this.lastRx = this.openedAt = ctx.scheduler.now();
    ctx.connections.add(this);
    out.armTimer(ctx.limits.connectTimeoutMs); // the CONNECT deadline
  }

  get fx(): ConnEffects {
    return this.out;
  }

  get writableLength(): number {
    return this.out.writableLength;
  }

  get level5(): boolean {
    return this.protocolLevel === 5;
  }

  /** Input event: bytes arrived (keep alive counts from here, even for a partial packet). */
  onInput(now: number): void {
    this.lastRx = now;
  }

  /** Packet event: handled now, or queued behind an async step. */
  onPacket(p: Packet): void {
    if (this.state === ConnState.Closed) return;
    if (this.backlog) this.backlog.push(p);
    else this.dispatch(p);
  }

  /** Codec-violation event; `level` is the protocol level the reader has seen (from CONNECT). */
  onViolation(v: ProtocolViolation, level: ProtocolLevel): void {
    if (this.state !== ConnState.Closed) handleViolation(this, v, level);
  }

  /** Run one packet's handler; a returned promise pauses processing until it settles. */
  private dispatch(p: Packet): void {
    const r = routePacket(this, p);
    if (r) {
      this.backlog = [];
      r.then(
        () => this.resume(),
        (e: unknown) => this.fail(e),
      );
    }
  }

  private resume(): void {
    const queue = this.backlog;
    this.backlog = null;
    if (!queue) return;
    for (let i = 0; i < queue.length; i++) {
      if (this.state === ConnState.Closed) return;
      if (this.backlog) {
        (this.backlog as Packet[]).push(...queue.slice(i));
        return;
      }
      try {
        this.dispatch(queue[i]);
      } catch (e) {
        return this.fail(e);
      }
    }
  }

  /** Log a protocol error with its statement and end the connection (DISCONNECT 0x82 at 5.0). */
  protocolError(message: string, s311: StatementRef, s50: StatementRef, code = 0x82): void {
    const reasonCode = genericErrorCode(this, code);
    const statement = this.level5 ? s50 : s311;
    this.ctx.stats.protocolViolations++;
    this.ctx.logger.warn(`protocol violation: ${message}`, {
      statement: formatRef(statement),
      clientId: this.clientId,
      reasonCode,
    });
    this.disconnect(reasonCode, this.problemInfo ? message : undefined);
  }

  /** Server-initiated end: DISCONNECT (5.0, only after a successful CONNACK: 3.14.0-1) then close. */
  disconnect(reasonCode: number, reason?: string): void {
    if (this.state === ConnState.Closed) return;
    if (this.level5 && this.state === ConnState.Connected) {
      const p: Packet = { type: 'disconnect', reasonCode };
      if (reason !== undefined && this.problemInfo) p.properties = { reasonString: reason };
      this.sendPacket(p);
    }
    this.close();
  }

  fail(e: unknown): void {
    this.ctx.logger.error('connection handler failed; closing this connection', {
      clientId: this.clientId,
      error: e instanceof Error ? e.stack : String(e),
    });
    this.disconnect(0x83);
  }

  write(buf: Buffer): void {
    const held = this.ctx.heldWrites;
    if (held) held.push(() => this.write(buf));
    else if (this.state !== ConnState.Closed) this.out.send(buf);
  }

  afterDurable(run: () => void, failed: (e: unknown) => void): void {
    this.fx.sync(this, (this.syncs ??= new SyncWaits()).add(run, failed));
  }

  /**
   * Durable event: sync `seq` completed (and so did every earlier one). Runs even after the
   * close: a held write may be another connection's (publish-flow holdWrites).
   */
  onDurable(seq: number): void {
    this.syncs?.done(seq);
  }

  /** Sync-failed event: the waits up to `seq` learn that their sync failed. */
  onSyncFailed(seq: number, error: unknown): void {
    this.syncs?.failed(seq, error);
  }

  /**
   * Encode and send. Over the client's Maximum Packet Size, a Reason String and User Properties
   * are left out first (5.0 3.4.2-2/3 and peers); if it still does not fit it is not sent (3.1.2-24),
   * except a CONNACK: a client announcing a maximum too small for it still gets its CONNACK.
   */
  sendPacket(p: Packet): boolean {
    let buf = encodePacket(p, this.protocolLevel);
    if (buf.length > this.clientMaxPacket && p.type !== 'publish' && 'properties' in p && p.properties) {
      const { reasonString: _r, userProperties: _u, ...rest } = p.properties;
      buf = encodePacket(
        { ...p, properties: Object.keys(rest).length > 0 ? rest : undefined } as Packet,
        this.protocolLevel,
      );
    }
    if (buf.length > this.clientMaxPacket && p.type !== 'connack') {
      this.ctx.logger.debug('packet larger than client maximum not sent', {
        clientId: this.clientId,
        type: p.type,
        size: buf.length,
      });
      return false;
    }
    this.write(buf);
    return true;
  }

  /** PUBACK/PUBREC/PUBREL/PUBCOMP; success without properties is the short 4-byte form. */
  sendAck(type: 'puback' | 'pubrec' | 'pubrel' | 'pubcomp', packetId: number, reasonCode = 0, reason?: string): void {
    if (reasonCode === 0 || !this.level5) {
      const b = Buffer.allocUnsafe(4);
      b[0] = ACK_BYTE[type];
      b[1] = 2;
      b.writeUInt16BE(packetId, 2);
      this.write(b);
      return;
    }
    const p: AckPacket<typeof type> = { type, packetId, reasonCode };
    if (reason !== undefined && this.problemInfo) p.properties = { reasonString: reason };
    this.sendPacket(p);
  }

  // ---- SessionLink: deliveries from the router (delivery.ts) ----

  // Deliveries run inside the publisher's handler: a failure here must close only this connection.
  sendQos0(msg: Message, retain: boolean, subIds: number[] | undefined): void {
    try {
      deliverQos0(this, msg, retain, subIds);
    } catch (e) {
      this.fail(e);
    }
  }

  sendOutgoing(o: Outgoing): void {
    try {
      deliverOutgoing(this, o);
    } catch (e) {
      this.fail(e);
    }
  }

  sendPubrel(packetId: number): void {
    this.sendAck('pubrel', packetId);
  }

  sendReleased(list: Outgoing[]): void {
    for (let i = 0; i < list.length; i++) deliverOutgoing(this, list[i]);
  }

  resumeSession(): void {
    resumeDeliveries(this);
  }

  // ---- timers (the broker's shared sweep, conn-sweep.ts) and teardown ----

  /** Keep alive in seconds from CONNECT (0 = off); enforced at 1.5x by sweep(). */
  startKeepAlive(seconds: number): void {
    this.keepAliveMs = seconds * 1500;
    if (seconds > 0) this.fx.armTimer(this.keepAliveMs);
  }

  /** Timer event: called by the shared sweep (conn-sweep.ts) every SWEEP_MS with the scheduler's now(). */
  sweep(now: number): void {
    const st = this.state;
    if (st === ConnState.Closed) return;
    if (st !== ConnState.Connected) {
      if (now - this.openedAt >= this.ctx.limits.connectTimeoutMs) {
        this.ctx.logger.info('connect timeout', { remoteAddress: this.remoteAddress, transport: this.transport });
        this.close();
      }
      return;
    }
    const idle = now - this.lastRx;
    if (this.keepAliveMs > 0 && idle >= this.keepAliveMs) {
      this.ctx.logger.info('keep alive timeout', {
        clientId: this.clientId,
        statement: formatRef(this.level5 ? ref50('MQTT-3.1.2-22') : ref311('MQTT-3.1.2-24')),
      });
      this.disconnect(0x8d);
      return;
    }
    this.out.idle(idle, this.backlog !== null);
  }

  /** End the connection: session bookkeeping runs now, then the transport closes after flushing what was written. */
  close(): void {
    if (this.state === ConnState.Closed) return;
    this.cleanup();
    this.out.end();
  }

  /** Transport-gone event (the socket closed or failed): session bookkeeping, no further output. */
  cleanup(): void {
    if (this.state === ConnState.Closed) return;
    const wasConnected = this.state === ConnState.Connected;
    this.state = ConnState.Closed;
    const ctx = this.ctx;
    ctx.connections.delete(this);
    if (wasConnected) {
      ctx.stats.clientsConnected--;
      if (ctx.live.get(this.clientId) === this) ctx.live.delete(this.clientId);
    }
    const s = this.session;
    this.session = null;
    if (s && s.conn === this) {
      // At broker shutdown the Will Delay cannot be waited out: the will goes out now (see Broker.close).
      this.fx.sessionClosed(
        s,
        ctx.clock.now(),
        takeWill(this),
        ctx.closing && !keepsDelayedWill(this, s) ? 0 : this.willDelay,
      );
    }
  }

  /** Broker shutdown: publish this client's will now (conn-will.ts); true when one went out. */
  publishWillAtShutdown(): boolean {
    return publishWillAtShutdown(this);
  }
}

const ACK_BYTE = { puback: 0x40, pubrec: 0x50, pubrel: 0x62, pubcomp: 0x70 } as const;
