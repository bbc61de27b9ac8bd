/**
 * The broker's one narrow persistence seam: sessions (subscriptions + expiry), each session's
 * outbound deliveries (queued and in flight), QoS 2 inbound packet ids awaiting PUBREL, and
 * retained messages. Mutations are recorded synchronously; `sync()` makes everything recorded
 * so far durable (a no-op for memory). The broker awaits `sync()` before acknowledging a
 * QoS 1/2 PUBLISH when `durable` is true.
 */
import type { ProtocolLevel, QoS } from '../codec/packet-types.ts';
import type { Message, Outgoing } from './message.ts';

export interface SubscriptionRecord {
  /** The filter exactly as subscribed, including any "$share/<group>/" prefix. */
  filter: string;
  qos: QoS;
  noLocal?: boolean;
  retainAsPublished?: boolean;
  retainHandling?: 0 | 1 | 2;
  subscriptionId?: number;
}

export interface SessionRecord {
  clientId: string;
  protocolLevel: ProtocolLevel;
  /** Seconds; 0xFFFFFFFF means never expires. */
  expiryInterval: number;
  subscriptions: SubscriptionRecord[];
  /** Broker-clock ms when the last connection closed; absent while connected. */
  disconnectedAt?: number;
  /** A will waiting out its 5.0 Will Delay Interval, due at `fireAt` (broker-clock ms). */
  will?: { msg: Message; fireAt: number };
}

export type OutboundRecord = Outgoing;

export interface PersistedState {
  sessions: SessionRecord[];
  outbound: Map<string, OutboundRecord[]>;
  inbound: Map<string, number[]>;
  retained: Message[];
}

export interface Persistence {
  /** True when `sync()` puts data on stable storage. */
  readonly durable: boolean;
  load(): Promise<PersistedState>;
  putSession(rec: SessionRecord): void;
  /** Removes the session and all its outbound and inbound state. */
  deleteSession(clientId: string): void;
  putOutbound(clientId: string, o: OutboundRecord): void;
  removeOutbound(clientId: string, seq: number): void;
  addInbound(clientId: string, packetId: number): void;
  removeInbound(clientId: string, packetId: number): void;
  setRetained(msg: Message): void;
  clearRetained(topic: string): void;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** The state both adapters keep in memory; FilePersistence replays its log into one of these. */
export class MemoryState {
  sessions = new Map<string, SessionRecord>();
  outbound = new Map<string, Map<number, OutboundRecord>>();
  inbound = new Map<string, Set<number>>();
  retained = new Map<string, Message>();

  putSession(rec: SessionRecord): void {
    this.sessions.set(rec.clientId, {
      ...rec,
      subscriptions: rec.subscriptions.map((s) => ({ ...s })),
      ...(rec.will ? { will: { ...rec.will } } : {}),
    });
  }
  deleteSession(clientId: string): void {
    this.sessions.delete(clientId);
    this.outbound.delete(clientId);
    this.inbound.delete(clientId);
  }
  putOutbound(clientId: string, o: OutboundRecord): void {
    let m = this.outbound.get(clientId);
    if (!m) this.outbound.set(clientId, (m = new Map()));
    m.set(o.seq, { ...o, subIds: o.subIds ? [...o.subIds] : undefined });
  }
  removeOutbound(clientId: string, seq: number): void {
    const m = this.outbound.get(clientId);
    if (m && m.delete(seq) && m.size === 0) this.outbound.delete(clientId);
  }
  addInbound(clientId: string, packetId: number): void {
    let s = this.inbound.get(clientId);
    if (!s) this.inbound.set(clientId, (s = new Set()));
    s.add(packetId);
  }
  removeInbound(clientId: string, packetId: number): void {
    const s = this.inbound.get(clientId);
    if (s && s.delete(packetId) && s.size === 0) this.inbound.delete(clientId);
  }
  setRetained(msg: Message): void {
    this.retained.set(msg.topic, msg);
  }
  clearRetained(topic: string): void {
    this.retained.delete(topic);
  }
  /** A deep-enough copy for callers that will mutate what they load. */
  snapshot(): PersistedState {
    const outbound = new Map<string, OutboundRecord[]>();
    for (const [c, m] of this.outbound)
      outbound.set(
        c,
        [...m.values()].sort((a, b) => a.seq - b.seq).map((o) => ({ ...o })),
      );
    const inbound = new Map<string, number[]>();
    for (const [c, s] of this.inbound) inbound.set(c, [...s]);
    return {
      sessions: [...this.sessions.values()].map((s) => ({
        ...s,
        subscriptions: s.subscriptions.map((x) => ({ ...x })),
      })),
      outbound,
      inbound,
      retained: [...this.retained.values()],
    };
  }
  /** Number of live records (for compaction decisions). */
  liveCount(): number {
    let n = this.sessions.size + this.retained.size;
    for (const m of this.outbound.values()) n += m.size;
    for (const s of this.inbound.values()) n += s.size;
    return n;
  }
}

/** In-memory adapter. Survives a Broker restart in the same process when the instance is reused. */
export class MemoryPersistence implements Persistence {
  readonly durable = false;
  private readonly state = new MemoryState();

  async load(): Promise<PersistedState> {
    return this.state.snapshot();
  }
  putSession(rec: SessionRecord): void {
    this.state.putSession(rec);
  }
  deleteSession(clientId: string): void {
    this.state.deleteSession(clientId);
  }
  putOutbound(clientId: string, o: OutboundRecord): void {
    this.state.putOutbound(clientId, o);
  }
  removeOutbound(clientId: string, seq: number): void {
    this.state.removeOutbound(clientId, seq);
  }
  addInbound(clientId: string, packetId: number): void {
    this.state.addInbound(clientId, packetId);
  }
  removeInbound(clientId: string, packetId: number): void {
    this.state.removeInbound(clientId, packetId);
  }
  setRetained(msg: Message): void {
    this.state.setRetained(msg);
  }
  clearRetained(topic: string): void {
    this.state.clearRetained(topic);
  }
  sync(): Promise<void> {
    return Promise.resolve();
  }
  async close(): Promise<void> {}
}
