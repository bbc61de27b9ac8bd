/** Broker options (the public contract) and their resolved defaults. */
import type { Clock, Scheduler } from '../common/index.ts';
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
  /**
   * Cap (seconds, 1..65535) on a 5.0 client's Keep Alive, like mosquitto's max_keepalive: a client
   * asking for more, or for 0, gets Server Keep Alive = the cap; one asking for less keeps its own.
   * 3.1.1 clients cannot be told and keep theirs. `capabilities.serverKeepAlive` wins over this.
   */
  maxKeepAlive?: number;
}

export interface Misbehave {
  /** Drop every Nth outbound QoS 1 PUBLISH and pretend it was acknowledged. */
  loseQos1EveryNth?: number;
  /** Deliver every QoS 2 message twice (as two different PUBLISHes). */
  duplicateQos2?: boolean;
  /** Overlapping subscriptions: one copy at the LOWEST matching QoS (breaks 3.3.5-1 / 3.3.4-2). */
  overlapMinQos?: boolean;
  /** Ignore the client's Receive Maximum: the in-flight window is unbounded (breaks 3.3.4-9). */
  ignoreReceiveMaximum?: boolean;
  /** Swap consecutive QoS>0 deliveries to a session: hold one until the next comes (breaks 4.6.0-5/6). */
  reorderDeliveries?: boolean;
  /** Keep the first retained message of a topic: later ones do not replace it (breaks 3.3.1-5). */
  staleRetained?: boolean;
  /** Do not queue QoS>0 messages for an offline session (breaks 3.1.2-5 / 5.0 session state). */
  dropOfflineQueue?: boolean;
  /** Never publish a will (breaks 3.1.2-8). */
  dropWills?: boolean;
}

/**
 * LEGAL-BUT-DIFFERENT mode: each switch makes the broker take another choice the spec allows
 * (issue 10), so that the conformance suite can be checked for scenarios that wrongly demand the
 * default behaviour. Unlike `misbehave`, nothing here breaks the spec. All off by default.
 */
export interface Variant {
  /**
   * At most one QoS 1/2 delivery in flight per client: the next is sent only after the previous
   * one's acknowledgement (5.0 4.9: a server may send fewer than Receive Maximum; 3.1.1 4.4 sets no
   * minimum window). Not declared to the client (neither version has a way to).
   */
  oneMessageInFlight?: boolean;
  /**
   * Overlapping subscriptions of one client get one copy each, at that subscription's QoS, with
   * that subscription's Subscription Identifier only (3.1.1 3.3.5 / 5.0 3.3.4: the server MAY
   * deliver further copies; MQTT-3.3.4-5), instead of one merged copy.
   */
  copyPerSubscription?: boolean;
  /**
   * 5.0 reason codes: the other code the spec allows for the same case. SUBACK 0x80 for every
   * refused filter; UNSUBACK 0x00 where no subscription existed; DISCONNECT 0x99 instead of
   * PUBACK/PUBREC 0x99 on a payload that does not match its Payload Format Indicator (3.3.2.3.2);
   * CONNACK 0x87 instead of 0x8C for an unsupported authentication method (MQTT-4.12.0-1);
   * DISCONNECT 0xA2 / 0x9E instead of SUBACK for wildcard / shared subscriptions declared
   * unavailable (3.2.2.3.11 / 3.2.2.3.13).
   */
  alternativeReasonCodes?: boolean;
  /**
   * DISCONNECT 0x82 where the default answers 0x81 and 0x81 where it answers 0x82, for the
   * generic malformed-packet / protocol-error case (4.13.1: the server MUST close; the DISCONNECT
   * is a SHOULD and no MUST fixes which of the two codes it carries).
   */
  swapMalformedProtocolError?: boolean;
  /**
   * A refused 5.0 CONNECT is closed without a CONNACK where the CONNACK is a MAY (3.1.4 step 2,
   * 3.2.2.2, MQTT-3.1.3-8, MQTT-4.12.0-1, 4.13.1 for errors in the CONNECT). 3.1.1 refusals and the
   * SHOULD cases (will QoS / retain, MQTT-3.2.2-12/13) keep their CONNACK.
   */
  refuseWithoutConnack?: boolean;
  /**
   * A Payload Format Indicator 0 (the default: "equivalent to not sending" one, 3.3.2.3.2) is
   * forwarded as absent.
   */
  omitDefaultProperties?: boolean;
  /**
   * 3.1.1: an unauthorized PUBLISH closes the connection instead of being positively acknowledged
   * and dropped (MQTT-3.3.5-2 allows either).
   */
  closeOnUnauthorizedPublish311?: boolean;
}

export type ResolvedVariant = Required<Variant>;

export function resolveVariant(v: Variant = {}): ResolvedVariant {
  return {
    oneMessageInFlight: v.oneMessageInFlight ?? false,
    copyPerSubscription: v.copyPerSubscription ?? false,
    alternativeReasonCodes: v.alternativeReasonCodes ?? false,
    swapMalformedProtocolError: v.swapMalformedProtocolError ?? false,
    refuseWithoutConnack: v.refuseWithoutConnack ?? false,
    omitDefaultProperties: v.omitDefaultProperties ?? false,
    closeOnUnauthorizedPublish311: v.closeOnUnauthorizedPublish311 ?? false,
  };
}

export interface BrokerOptions {
  /** Time only (message expiry, session expiry bookkeeping); timers stay real unless `scheduler` is given. */
  clock?: Clock;
  /**
   * Time and every timer of the broker (keep alive, CONNECT deadline, session expiry, will delay,
   * $SYS); a ManualScheduler lets tests move time without sleeping. Default: real timers over `clock`.
   */
  scheduler?: Scheduler;
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
  /** Legal-but-different choices (see Variant); all off by default. */
  variant?: Variant;
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
  maxKeepAlive: number | undefined;
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
    maxKeepAlive: l.maxKeepAlive,
  };
}
