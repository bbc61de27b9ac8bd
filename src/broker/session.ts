/**
 * Server-side session state (4.1): subscriptions, outbound deliveries, QoS 2 inbound ids,
 * expiry and a pending (delayed) will. The live connection, if any, is attached as `conn`.
 */
import type { ProtocolLevel, QoS } from '../codec/packet-types.ts';
import type { Message, Outgoing } from './message.ts';
import { InboundQos } from './inbound-qos.ts';
import { OutboundQos, type DropPolicy } from './outbound-qos.ts';
import type { SessionRecord, SubscriptionRecord } from './persistence.ts';
import { NEVER_EXPIRES } from './options.ts';

/** What the router needs from a live connection. */
export interface SessionLink {
  readonly protocolLevel: ProtocolLevel;
  /** Send a QoS 0 delivery now. */
  sendQos0(msg: Message, retain: boolean, subIds: number[] | undefined): void;
  /** Send an in-flight QoS>0 delivery (first time or resend). */
  sendOutgoing(o: Outgoing): void;
  /** Send PUBREL for an in-flight QoS 2 delivery. */
  sendPubrel(packetId: number): void;
}

/** One subscription of one session, as stored in the topic tree. */
export interface SubEntry extends SubscriptionRecord {
  session: Session;
  /** The filter matched against topics (without any $share prefix). */
  match: string;
  group?: string;
}

export class Session {
  private subs: Map<string, SubEntry> | null = null;
  /** Subscriptions by their filter as subscribed (allocated on first use). */
  get subscriptions(): Map<string, SubEntry> {
    return (this.subs ??= new Map());
  }
  readonly out: OutboundQos;
  readonly inbound = new InboundQos();
  conn: SessionLink | null = null;
  /** Seconds; NEVER_EXPIRES for 3.1.1 persistent sessions. */
  expiryInterval = 0;
  /** Session Expiry Interval requested on CONNECT was 0 (a later non-zero DISCONNECT value is a protocol error). */
  connectExpiryWasZero = true;
  disconnectedAt: number | undefined;
  /** Cancels the pending session-expiry / will-delay timer (from the broker's Scheduler). */
  expiryTimer: (() => void) | null = null;
  willTimer: (() => void) | null = null;
  /** A will waiting for its delay to pass (5.0 Will Delay Interval), due at willFireAt (broker-clock ms). */
  pendingWill: Message | null = null;
  willFireAt = 0;
  ended = false;
  /** Router scratch space for merging overlapping subscriptions of one publish. */
  routeEpoch = 0;
  routeQos: QoS = 0;
  routeRetain = false;
  routeSubIds: number[] | undefined = undefined;

  constructor(
    readonly clientId: string,
    public protocolLevel: ProtocolLevel,
    maxQueued: number,
    dropPolicy: DropPolicy,
  ) {
    this.out = new OutboundQos(maxQueued, dropPolicy);
  }

  /** Persisted across connections (so every change must be recorded). */
  get persistent(): boolean {
    return this.expiryInterval > 0;
  }

  grantedQoS(filter: string): QoS | undefined {
    return this.subscriptions.get(filter)?.qos;
  }

  toRecord(): SessionRecord {
    const subscriptions: SubscriptionRecord[] = [];
    for (const s of this.subscriptions.values()) {
      const r: SubscriptionRecord = { filter: s.filter, qos: s.qos };
      if (s.noLocal) r.noLocal = true;
      if (s.retainAsPublished) r.retainAsPublished = true;
      if (s.retainHandling) r.retainHandling = s.retainHandling;
      if (s.subscriptionId !== undefined) r.subscriptionId = s.subscriptionId;
      subscriptions.push(r);
    }
    const rec: SessionRecord = {
      clientId: this.clientId,
      protocolLevel: this.protocolLevel,
      expiryInterval: this.expiryInterval,
      subscriptions,
    };
    if (this.disconnectedAt !== undefined) rec.disconnectedAt = this.disconnectedAt;
    if (this.pendingWill !== null) rec.will = { msg: this.pendingWill, fireAt: this.willFireAt };
    return rec;
  }

  /** Milliseconds until expiry once disconnected at `disconnectedAt`; Infinity if never. */
  expiresInMs(now: number): number {
    if (this.expiryInterval === NEVER_EXPIRES) return Infinity;
    const since = this.disconnectedAt === undefined ? 0 : now - this.disconnectedAt;
    return Math.max(0, this.expiryInterval * 1000 - since);
  }

  clearTimers(): void {
    if (this.expiryTimer) this.expiryTimer();
    if (this.willTimer) this.willTimer();
    this.expiryTimer = null;
    this.willTimer = null;
  }
}
