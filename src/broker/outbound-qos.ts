/**
 * One session's outbound delivery state (server -> client): packet-id allocation, the
 * in-flight window bounded by the client's Receive Maximum (4.9), and the queue behind it.
 * Pure: callers pass `now`; the methods return what must be sent, never do I/O.
 */
import { OutState, isExpired, type Outgoing } from './message.ts';

export type DropPolicy = 'drop-oldest' | 'drop-newest';

export interface AckResult {
  /** The ack matched an in-flight entry in the right state. */
  known: boolean;
  /** The entry that finished (removed from in-flight), if any. */
  done?: Outgoing;
  /** Entries moved from the queue into flight; send them as PUBLISH now. */
  release: Outgoing[];
}

const NO_RELEASE: Outgoing[] = [];

export class OutboundQos {
  private _inflight: Map<number, Outgoing> | null = null;
  /** In-flight QoS>0 deliveries by packet id, in send order (allocated on first use: idle clients stay small). */
  get inflight(): Map<number, Outgoing> {
    return (this._inflight ??= new Map());
  }
  get inflightCount(): number {
    return this._inflight === null ? 0 : this._inflight.size;
  }
  private queue: Outgoing[] = [];
  private head = 0;
  private nextId = 1;
  private nextSeq = 1;
  receiveMaximum = 65535;
  /** Messages dropped because the queue was full, or expired while queued. */
  dropped = 0;
  expired = 0;

  constructor(
    public maxQueued = 1000,
    public dropPolicy: DropPolicy = 'drop-oldest',
  ) {}

  get queued(): number {
    return this.queue.length - this.head;
  }

  newSeq(): number {
    return this.nextSeq++;
  }

  /** Restore sequence counter after loading persisted entries. */
  bumpSeq(seq: number): void {
    if (seq >= this.nextSeq) this.nextSeq = seq + 1;
  }

  /**
   * Offer a QoS>0 delivery. When `online` and the window has room it gets a packet id and
   * is returned for sending; otherwise it is queued (null). `dropped` receives an entry
   * pushed out by a full queue.
   */
  submit(o: Outgoing, online: boolean, dropped?: Outgoing[]): Outgoing | null {
    if (online && this.queued === 0 && this.inflightCount < this.receiveMaximum) {
      this.assign(o);
      return o;
    }
    if (this.queued >= this.maxQueued) {
      this.dropped++;
      if (this.dropPolicy === 'drop-newest') {
        dropped?.push(o);
        return null;
      }
      const old = this.queue[this.head++];
      dropped?.push(old);
      this.compact();
    }
    o.state = OutState.Queued;
    this.queue.push(o);
    return null;
  }

  /** Put a persisted entry back (on restart) in its state. */
  restore(o: Outgoing): void {
    this.bumpSeq(o.seq);
    if (o.state === OutState.Queued) this.queue.push(o);
    else this.inflight.set(o.packetId, o);
  }

  /** PUBACK for a QoS 1 delivery. */
  puback(packetId: number, now: number): AckResult {
    const o = this.inflight.get(packetId);
    if (!o || o.qos !== 1) return { known: false, release: NO_RELEASE };
    this.inflight.delete(packetId);
    return { known: true, done: o, release: this.drain(now) };
  }

  /** PUBREC: move to PUBREL-sent, or finish when the reason code is an error (4.4.0-2 / 4.9). */
  pubrec(packetId: number, reasonCode: number, now: number): AckResult & { sendPubrel: boolean } {
    const o = this.inflight.get(packetId);
    if (!o || o.qos !== 2) return { known: false, release: NO_RELEASE, sendPubrel: true };
    if (o.state === OutState.PubrelSent) return { known: true, release: NO_RELEASE, sendPubrel: true };
    if (reasonCode >= 0x80) {
      this.inflight.delete(packetId);
      return { known: true, done: o, release: this.drain(now), sendPubrel: false };
    }
    o.state = OutState.PubrelSent;
    return { known: true, done: undefined, release: NO_RELEASE, sendPubrel: true };
  }

  pubcomp(packetId: number, now: number): AckResult {
    const o = this.inflight.get(packetId);
    if (!o || o.state !== OutState.PubrelSent) return { known: false, release: NO_RELEASE };
    this.inflight.delete(packetId);
    return { known: true, done: o, release: this.drain(now) };
  }

  /**
   * On reconnect: the in-flight entries to resend in order (PUBLISH with DUP, or PUBREL), then newly
   * released ones. The send quota starts again at the client's (new) Receive Maximum (4.9: it is not
   * preserved across connections), so PUBLISH resends beyond it wait for acknowledgements.
   */
  resume(now: number): { resend: Outgoing[]; release: Outgoing[] } {
    const resend: Outgoing[] = [];
    this.resendLater = [];
    let quota = this.receiveMaximum;
    for (const o of this._inflight ? this._inflight.values() : []) {
      if (o.state === OutState.PubrelSent) resend.push(o);
      else if (quota > 0) { resend.push(o); quota--; } else this.resendLater.push(o);
    }
    return { resend, release: this.resendLater.length > 0 ? NO_RELEASE : this.drain(now) };
  }

  /** In-flight PUBLISHes of a resumed session still to resend once acknowledgements free the quota. */
  private resendLater: Outgoing[] = [];

  /** Take queued entries into flight while the window has room; expired ones are dropped (3.3.2-5). */
  drain(now: number, expiredOut?: Outgoing[]): Outgoing[] {
    // A slot was freed: a resumed session's pending resend goes first (in its original order).
    while (this.resendLater.length > 0) {
      const o = this.resendLater.shift()!;
      if (this._inflight?.get(o.packetId) === o) return [o];
    }
    let out: Outgoing[] | null = null;
    while (this.head < this.queue.length && this.inflightCount < this.receiveMaximum) {
      const o = this.queue[this.head++];
      if (isExpired(o.msg, now)) {
        this.expired++;
        expiredOut?.push(o);
        continue;
      }
      this.assign(o);
      (out ??= []).push(o);
    }
    this.compact();
    return out ?? NO_RELEASE;
  }

  /** Remove and return every queued (not in-flight) entry, e.g. to re-route shared messages. */
  takeQueued(): Outgoing[] {
    const q = this.queue.slice(this.head);
    this.queue = [];
    this.head = 0;
    return q;
  }

  /** All entries, in-flight first then queued; for persistence snapshots and tests. */
  all(): Outgoing[] {
    return [...this.inflight.values(), ...this.queue.slice(this.head)];
  }

  clear(): void {
    this._inflight = null;
    this.queue = [];
    this.head = 0;
  }

  private assign(o: Outgoing): void {
    o.packetId = this.allocId();
    o.state = OutState.PublishSent;
    this.inflight.set(o.packetId, o);
  }

  /** Non-zero packet id not used by any in-flight delivery (2.2.1-4). */
  private allocId(): number {
    for (;;) {
      const id = this.nextId;
      this.nextId = id === 65535 ? 1 : id + 1;
      if (!this.inflight.has(id)) return id;
    }
  }

  private compact(): void {
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
