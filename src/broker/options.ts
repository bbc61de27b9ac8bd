/** Broker options (the public contract) and their resolved defaults. */
import type { Clock } from '../common/index.ts';
import type { AuthMechanism, Authenticator, Authorizer } from './hooks.ts';
import type { Logger } from './logger.ts';
import type { Persistence } from './persistence.ts';
import type { QoS } from '../codec/packet-types.ts';
import type { DropPolicy } from './outbound-qos.ts';

export interface Capabilities {
  maximumQoS?: QoS;
  retainAvailable?: boolean;
  wildcardSubscriptionAvailable?: boolean;
  sharedSubscriptionAvailable?: boolean;
  subscriptionIdentifiersAvailable?: boolean;
  /** Highest topic alias a client may send (0 = none). */
  topicAliasMaximum?: number;
  /** How many unacknowledged QoS>0 PUBLISHes a client may have outstanding towards us. */
  receiveMaximum?: number;
  /** Largest packet the broker accepts (bytes). */
  maximumPacketSize?: number;
  /** If set, overrides the client's keep alive (sent as Server Keep Alive at 5.0). */
  serverKeepAlive?: number;
}

export interface Limits {
  maxConnections?: number;
  /** Per-session queue length behind the in-flight window. */
  maxQueuedMessages?: number;
  queueDropPolicy?: DropPolicy;
  /** Close sockets that have not completed CONNECT within this time. */
  connectTimeoutMs?: number;
  /** Cap on the in-flight window per client, whatever its Receive Maximum. */
  maxInflight?: number;
  /** Cap (seconds) on a requested Session Expiry Interval; 3.1.1 persistent sessions get this. */
  maxSessionExpiryInterval?: number;
  /** Subscriptions one session may hold; more are refused (SUBACK 0x97 / 0x80). Default unlimited. */
  maxSubscriptionsPerClient?: number;
  /** Levels a topic name or filter may have; deeper PUBLISHes are refused (0x97) and filters too. Default unlimited. */
  maxTopicLevels?: number;
}

export interface Misbehave {
  /** Drop every Nth outbound QoS 1 PUBLISH and pretend it was acknowledged. */
  loseQos1EveryNth?: number;
  /** Deliver every QoS 2 message twice (as two different PUBLISHes). */
  duplicateQos2?: boolean;
}

export interface BrokerOptions {
  clock?: Clock;
  capabilities?: Capabilities;
  limits?: Limits;
  authenticator?: Authenticator;
  authorizer?: Authorizer;
  authMechanisms?: AuthMechanism[];
  /** When false, a CONNECT without a user name is refused (before the authenticator runs). Default true. */
  allowAnonymous?: boolean;
  persistence?: Persistence;
  /** $SYS publishing period in ms; 0 or absent = off. */
  sysIntervalMs?: number;
  logger?: Logger;
  /** NEGATIVE-CONTROL test mode only: deliberately wrong behaviour for testing the checkers. */
  misbehave?: Misbehave;
}

export interface ResolvedCaps {
  maximumQoS: QoS;
  retainAvailable: boolean;
  wildcardSubscriptionAvailable: boolean;
  sharedSubscriptionAvailable: boolean;
  subscriptionIdentifiersAvailable: boolean;
  topicAliasMaximum: number;
  receiveMaximum: number;
  maximumPacketSize: number;
  serverKeepAlive: number | undefined;
}

export interface ResolvedLimits {
  maxConnections: number;
  maxQueuedMessages: number;
  queueDropPolicy: DropPolicy;
  connectTimeoutMs: number;
  maxInflight: number;
  maxSessionExpiryInterval: number;
  maxSubscriptionsPerClient: number;
  maxTopicLevels: number;
}

/** The largest packet the protocol can express (remaining length 268,435,455 + 5 header bytes). */
export const PROTOCOL_MAX_PACKET = 268_435_460;
export const NEVER_EXPIRES = 0xffffffff;

export function resolveCaps(c: Capabilities = {}): ResolvedCaps {
  return {
    maximumQoS: c.maximumQoS ?? 2,
    retainAvailable: c.retainAvailable ?? true,
    wildcardSubscriptionAvailable: c.wildcardSubscriptionAvailable ?? true,
    sharedSubscriptionAvailable: c.sharedSubscriptionAvailable ?? true,
    subscriptionIdentifiersAvailable: c.subscriptionIdentifiersAvailable ?? true,
    topicAliasMaximum: c.topicAliasMaximum ?? 10,
    receiveMaximum: c.receiveMaximum ?? 65535,
    maximumPacketSize: c.maximumPacketSize ?? PROTOCOL_MAX_PACKET,
    serverKeepAlive: c.serverKeepAlive,
  };
}

export function resolveLimits(l: Limits = {}): ResolvedLimits {
  return {
    maxConnections: l.maxConnections ?? Infinity,
    maxQueuedMessages: l.maxQueuedMessages ?? 1000,
    queueDropPolicy: l.queueDropPolicy ?? 'drop-oldest',
    connectTimeoutMs: l.connectTimeoutMs ?? 10_000,
    maxInflight: l.maxInflight ?? 65535,
    maxSessionExpiryInterval: l.maxSessionExpiryInterval ?? NEVER_EXPIRES,
    maxSubscriptionsPerClient: l.maxSubscriptionsPerClient ?? Infinity,
    maxTopicLevels: l.maxTopicLevels ?? Infinity,
  };
}
