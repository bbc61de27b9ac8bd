/**
 * The client side of QoS 1/2 sending (4.3, 4.4, 4.6), pure: packet id allocation, the
 * in-flight window in first-send order, and what to resend when a session resumes.
 */
import type { Packet, PublishPacket, QoS } from '../codec/index.ts';

export interface OutMessage {
  msgId: string;
  topic: string;
  qos: QoS;
  retain: boolean;
  payload: Buffer;
}

export interface Flight extends OutMessage {
  packetId: number;
  /** 'publish': waiting for PUBACK/PUBREC; 'pubrel': PUBREL sent, waiting for PUBCOMP. */
  state: 'publish' | 'pubrel';
  sentAt: number;
}

export class Outbound {
  /** In first-send order (Map keeps insertion order), which is also the resend order (4.6.0-1). */
  readonly flights = new Map<number, Flight>();
  readonly queue: OutMessage[] = [];
  private nextId = 1;

  /** Settable: a 5.0 server's Receive Maximum lowers it (3.3.4). */
  constructor(
    public maxInflight: number,
    readonly maxQueued: number,
  ) {}

  enqueue(m: OutMessage): boolean {
    if (this.queue.length >= this.maxQueued) return false;
    this.queue.push(m);
    return true;
  }

  /** An unused packet id (2.3.1), or undefined when all 65535 are taken. */
  private allocate(): number | undefined {
    for (let i = 0; i < 65535; i++) {
      const id = this.nextId;
      this.nextId = this.nextId === 65535 ? 1 : this.nextId + 1;
      if (!this.flights.has(id)) return id;
    }
    return undefined;
  }

  /** Moves queued messages into the window; returns the PUBLISH packets to send now. */
  pump(now: number): PublishPacket[] {
    const out: PublishPacket[] = [];
    while (this.queue.length > 0 && this.flights.size < this.maxInflight) {
      const id = this.allocate();
      if (id === undefined) break;
      const m = this.queue.shift()!;
      this.flights.set(id, { ...m, packetId: id, state: 'publish', sentAt: now });
      out.push(publishOf(m, id, false));
    }
    return out;
  }

  /** What a resumed session resends, in original order: PUBLISH with DUP=1, or PUBREL (4.4.0-1). */
  resend(now: number): Packet[] {
    const out: Packet[] = [];
    for (const f of this.flights.values()) {
      f.sentAt = now;
      out.push(f.state === 'publish' ? publishOf(f, f.packetId, true) : { type: 'pubrel', packetId: f.packetId });
    }
    return out;
  }

  /** Forgets the whole window (session not resumed); returns the flights that were dropped. */
  clearFlights(): Flight[] {
    const gone = [...this.flights.values()];
    this.flights.clear();
    return gone;
  }

  /** The oldest send time among unacknowledged flights, if any. */
  oldestSentAt(): number | undefined {
    let t: number | undefined;
    for (const f of this.flights.values()) if (t === undefined || f.sentAt < t) t = f.sentAt;
    return t;
  }

  get idle(): boolean {
    return this.flights.size === 0 && this.queue.length === 0;
  }
}

export function publishOf(m: OutMessage, packetId: number | undefined, dup: boolean): PublishPacket {
  const p: PublishPacket = { type: 'publish', topic: m.topic, payload: m.payload, qos: m.qos, retain: m.retain, dup };
  if (m.qos > 0) p.packetId = packetId;
  return p;
}
