/**
 * What the protocol handlers (*-flow.ts, dispatch.ts, delivery.ts) see of one client
 * connection, its states, and the core's two output ports: ConnSink (the transport: send,
 * close) and ConnEffects (the broker: route, persist, arm timer, session closed / will).
 * ConnCore (conn-core.ts) implements Conn; the handlers import only this module, so there is no
 * import circle between the shell and the handlers.
 */
import type { ConnectPacket, Packet, ProtocolLevel, QoS } from '../codec/index.ts';
import type { StatementRef } from '../spec/types.ts';
import type { AuthSession, ClientInfo } from './hooks.ts';
import type { BrokerContext } from './context.ts';
import type { Message, Outgoing } from './message.ts';
import type { Persistence, SubscriptionRecord } from './persistence.ts';
import type { Session, SessionLink } from './session.ts';

export const ConnState = { New: 0, Authenticating: 1, Connected: 2, Closed: 3 } as const;
export type ConnStateT = (typeof ConnState)[keyof typeof ConnState];

/** Where a core's output goes: the transport. */
export interface ConnSink {
  /** Queue bytes for the client (the shell batches writes per event-loop tick). */
  send(buf: Buffer): void;
  /** Flush what was sent, then close the transport. */
  end(): void;
  /** Bytes sent and not yet flushed (for slow-consumer dropping of QoS 0). */
  readonly writableLength: number;
  /** Told on every timer tick how long the client has been silent; `busy` while packets wait (async authentication). */
  idle(idleMs: number, busy: boolean): void;
}

/** The persistence writes a core causes (the queries, such as `durable`, stay on the context). */
export type PersistWrites = Pick<
  Persistence,
  'putSession' | 'deleteSession' | 'putOutbound' | 'removeOutbound' | 'addInbound' | 'removeInbound' | 'clearRetained'
>;

/** What a core waiting for a sync is told when it completes (`handle`'s durable / sync-failed events). */
export interface DurableListener {
  /** Every sync requested with a number up to `seq` has completed. */
  onDurable(seq: number): void;
  /** Sync `seq` failed: nothing requested up to it may be treated as durable. */
  onSyncFailed(seq: number, error: unknown): void;
}

/**
 * Where a core's broker-side actions go. Method calls, so the hot path allocates no action
 * objects: BrokerEffects (conn-effects.ts) forwards each straight to the router, persistence,
 * sweep and session manager; a RecordingSink (conn-events.ts) records them as ConnActions.
 */
export interface ConnEffects {
  /** Route an Application Message published by this client (retained store update + routing). */
  route(msg: Message): void;
  /** Route one message to one session (a retained message for a new subscription). */
  deliver(s: Session, msg: Message, qos: QoS, retain: boolean, subIds: number[] | undefined): void;
  /** Persistence writes, recorded synchronously (persistence.ts). */
  readonly persist: PersistWrites;
  /** Make everything written so far durable; report completion to `core` with sync number `seq`. */
  sync(core: DurableListener, seq: number): void;
  /** The core needs a timer event within about `ms` (the shared sweep, conn-sweep.ts, visits every open core). */
  armTimer(ms: number): void;
  /** `s`'s connection ended at `now`: the session manager publishes `will` after `willDelay` s. */
  sessionClosed(s: Session, now: number, will: Message | null, willDelay: number): void;
  /** Add (or replace, 3.8.4-3) a subscription of `s`: its session entry and the broker's topic tree. */
  subscribe(s: Session, rec: SubscriptionRecord): void;
  /** Remove `s`'s subscription with exactly this filter (3.10.4-1). */
  unsubscribe(s: Session, filter: string): void;
}

/** Acknowledgements sent once persistence has made what came before them durable (durable-acks.ts). */
export interface DurableAckQueue {
  puback(id: number): void;
  pubrec(id: number): void;
  /** Run `send` once what was recorded before now is durable, after the acks already waiting. */
  after(send: () => void): void;
}

export interface Conn extends SessionLink {
  /** Queries and registries only (caps, limits, clock, logger, authorizer, sessions.open, retained.match, ...). */
  readonly ctx: BrokerContext;
  /** Where routing, persistence writes, timers and the session's end go. */
  readonly fx: ConnEffects;
  readonly transport: string;
  readonly remoteAddress: string | undefined;
  readonly level5: boolean;
  /** Bytes written but not yet flushed to the socket (slow-consumer check). */
  readonly writableLength: number;
  state: ConnStateT;
  protocolLevel: ProtocolLevel;
  clientId: string;
  info: ClientInfo | null;
  session: Session | null;
  /** QoS>0 PUBLISHes received and not yet acknowledged (awaiting fsync). */
  pendingAcks: number;
  /** Acks waiting for durable persistence (created on first use; durable-acks.ts). */
  durableAcks: DurableAckQueue | null;
  /** Every delivery is checked with the authorizer's read rule (Authorizer.checksDeliveries, e.g. ACL deny rules). */
  checkReads: boolean;
  /** QoS 2 ids already awaiting PUBREL from earlier connections (not counted against this connection's quota). */
  inboundBase: number;
  /** Client -> server topic aliases (5.0). */
  aliasIn: Map<number, string> | null;
  clientMaxPacket: number;
  /** Server -> client topic aliases (5.0), when the client's Topic Alias Maximum allows them. */
  aliasOutMax: number;
  aliasOut: Map<string, number> | null;
  pendingAlias: number;
  problemInfo: boolean;
  will: Message | null;
  willExpiry: number | undefined;
  willDelay: number;
  /** Set on DISCONNECT 0x00 so the will is discarded (3.14.4-3). */
  discardWill: boolean;
  authMethod: string | undefined;
  authSession: AuthSession | null;
  reauthing: boolean;
  /** The CONNECT waiting for an enhanced-authentication exchange to finish. */
  pendingConnect: { p: ConnectPacket; assigned: boolean } | null;

  write(buf: Buffer): void;
  /**
   * Ask for a sync (ConnEffects.sync) and run `run` once it has completed (the durable event),
   * or `failed` if it failed. Waits complete in the order they were asked for.
   */
  afterDurable(run: () => void, failed: (e: unknown) => void): void;
  sendPacket(p: Packet): boolean;
  sendAck(
    type: 'puback' | 'pubrec' | 'pubrel' | 'pubcomp',
    packetId: number,
    reasonCode?: number,
    reason?: string,
  ): void;
  sendPubrel(packetId: number): void;
  sendReleased(list: Outgoing[]): void;
  resumeSession(): void;
  startKeepAlive(seconds: number): void;
  protocolError(message: string, s311: StatementRef, s50: StatementRef, code?: number): void;
  disconnect(reasonCode: number, reason?: string): void;
  close(): void;
  /** Log a handler failure and end this connection (DISCONNECT 0x83). */
  fail(e: unknown): void;
}

/**
 * The reason code for a malformed packet / protocol error: as given, or with variant
 * `swapMalformedProtocolError` 0x81 and 0x82 exchanged (4.13.1 fixes neither by a MUST).
 */
export function genericErrorCode(c: { ctx: BrokerContext }, rc: number): number {
  if (!c.ctx.variant.swapMalformedProtocolError) return rc;
  return rc === 0x81 ? 0x82 : rc === 0x82 ? 0x81 : rc;
}
