/** Everything a connection shares with the rest of the broker. */
import type { Clock, Scheduler } from '../common/index.ts';
import type { ConnSweep } from './conn-sweep.ts';
import type { AuthMechanism, Authenticator, Authorizer } from './hooks.ts';
import type { Logger } from './logger.ts';
import type { Message } from './message.ts';
import type { Misbehave, ResolvedCaps, ResolvedLimits, ResolvedVariant } from './options.ts';
import type { Persistence } from './persistence.ts';
import type { PublishCache } from './publish-cache.ts';
import type { RetainedStore } from './retained-store.ts';
import type { Router } from './router.ts';
import type { SessionManager } from './sessions.ts';

export interface BrokerStats {
  clientsConnected: number;
  /** PUBLISH packets received from clients. */
  messagesReceived: number;
  /** PUBLISH packets sent to clients. */
  messagesSent: number;
  /** QoS 0 deliveries dropped (slow consumer or packet larger than the client's maximum). */
  messagesDropped: number;
  /** Connections closed for protocol violations. */
  protocolViolations: number;
  startedAt: number;
}

export interface ConnectionLike {
  readonly clientId: string;
  /** Server-initiated end: DISCONNECT with this reason (5.0) then close. */
  disconnect(reasonCode: number, reason?: string): void;
}

export interface BrokerContext {
  caps: ResolvedCaps;
  limits: ResolvedLimits;
  clock: Clock;
  /** Every timer goes through this (its now() is `clock`'s when only a clock was given). */
  scheduler: Scheduler;
  logger: Logger;
  authenticator: Authenticator | undefined;
  authorizer: Authorizer | undefined;
  authMechanisms: Map<string, AuthMechanism>;
  allowAnonymous: boolean;
  persistence: Persistence;
  router: Router;
  sessions: SessionManager;
  retained: RetainedStore;
  pubCache: PublishCache;
  /**
   * The negative-control modes asked for ({} normally). The delivery-path modes are installed as a
   * decorator (misbehave.ts); this stays readable for modes that hook elsewhere.
   */
  misbehave: Misbehave;
  /** Legal-but-different choices; all false by default. */
  variant: ResolvedVariant;
  stats: BrokerStats;
  /** Connections that completed CONNECT, by client id. */
  live: Map<string, ConnectionLike>;
  /** Every open connection. */
  connections: Set<ConnectionLike>;
  /** The shared timer that checks CONNECT deadlines and keep alive of `connections`. */
  sweep: ConnSweep;
  closing: boolean;
  /** Publish an Application Message: retained store update + routing. */
  publish(msg: Message): void;
  /** While set, connection writes are collected here instead of sent (see publish-flow holdWrites). */
  heldWrites?: Array<() => void>;
}
