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
/** The empty queue of an idle session: shared, never pushed to (a session gets its own array on first use). */
const NONE: Outgoing[] = [];

export class OutboundQos {
  private _inflight: Map<number, Outgoing> | null = null;
  /** In-flight QoS>0 deliveries by packet id, in send order (allocated on first use: idle clients stay small). */
  get inflight(): Map<number, Outgoing> {
    return (this._inflight ??= new Map());
  }
  get inflightCount(): number {
    return this._inflight === null ? 0 : this._inflight.size;
  }
  private queue: Outgoing[] = NONE;
  private head = 0;
  private nextId = 1;
  private nextSeq = 1;
  receiveMaximum = 65535;
  /**
   * The send quota in use on the current connection (4.9): QoS 1/2 PUBLISHes sent on it and not
   * yet acknowledged (PUBACK, PUBCOMP, or PUBREC 0x80+). A PUBREL resent after a reconnect, and
   * an entry not resent yet, use none. Re-initialised on each connection (resume).
   */
  private quotaUsed = 0;
  private epoch = 0;
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
    if (online && this.queued === 0 && this.resendLater.length === 0 && this.quotaUsed < this.receiveMaximum) {
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
    if (this.queue === NONE) this.queue = [];
    this.queue.push(o);
    return null;
  }

  /** Put a persisted entry back (on restart) in its state. */
  restore(o: Outgoing): void {
    this.bumpSeq(o.seq);
    if (o.state === OutState.Queued) {
      if (this.queue === NONE) this.queue = [];
      this.queue.push(o);
    } else this.inflight.set(o.packetId, o);
  }

  /** PUBACK for a QoS 1 delivery. */
  puback(packetId: number, now: number): AckResult {
    const o = this.inflight.get(packetId);
    if (!o || o.qos !== 1) return { known: false, release: NO_RELEASE };
    this.forget(o);
    return { known: true, done: o, release: this.drain(now) };
  }

  /** Removes an in-flight entry that is finished (acknowledged, or given up), giving back its quota. */
  forget(o: Outgoing): void {
    if (this._inflight?.get(o.packetId) !== o) return;
    this._inflight.delete(o.packetId);
    if (o.epoch === this.epoch && this.quotaUsed > 0) this.quotaUsed--;
  }

  /** PUBREC: move to PUBREL-sent, or finish when the reason code is an error (4.4.0-2 / 4.9). */
  pubrec(packetId: number, reasonCode: number, now: number): AckResult & { sendPubrel: boolean } {
    const o = this.inflight.get(packetId);
    if (!o || o.qos !== 2) return { known: false, release: NO_RELEASE, sendPubrel: true };
    if (o.state === OutState.PubrelSent) return { known: true, release: NO_RELEASE, sendPubrel: true };
    if (reasonCode >= 0x80) {
      this.forget(o);
      return { known: true, done: o, release: this.drain(now), sendPubrel: false };
    }
    o.state = OutState.PubrelSent;
    return { known: true, done: undefined, release: NO_RELEASE, sendPubrel: true };
  }

  pubcomp(packetId: number, now: number): AckResult {
    const o = this.inflight.get(packetId);
    if (!o || o.state !== OutState.PubrelSent) return { known: false, release: NO_RELEASE };
    this.forget(o);
    return { known: true, done: o, release: this.drain(now) };
  }

  /**
   * On reconnect: the in-flight entries to resend in order (PUBLISH with DUP, or PUBREL), then newly
   * released ones. The send quota starts again at the client's (new) Receive Maximum (4.9: it is not
   * preserved across connections), so PUBLISH resends beyond it wait for acknowledgements.
   */
  resume(now: number): { resend: Outgoing[]; release: Outgoing[] } {
    const resend: Outgoing[] = [];
    this.resendLater = NONE;
    this.epoch++;
    this.quotaUsed = 0;
    if (this._inflight !== null && this._inflight.size > 0)
      for (const o of this._inflight.values()) {
        if (o.state === OutState.PubrelSent) resend.push(o);
        else if (this.quotaUsed < this.receiveMaximum) {
          resend.push(o);
          this.take(o);
        } else (this.resendLater === NONE ? (this.resendLater = []) : this.resendLater).push(o);
      }
    return { resend, release: this.resendLater.length > 0 ? NO_RELEASE : this.drain(now) };
  }

  /** In-flight PUBLISHes of a resumed session still to resend once acknowledgements free the quota. */
  private resendLater: Outgoing[] = NONE;

  /** Take queued entries into flight while the window has room; expired ones are dropped (3.3.2-5). */
  drain(now: number, expiredOut?: Outgoing[]): Outgoing[] {
    // A slot was freed: a resumed session's pending resends go first (in their original order).
    let out: Outgoing[] | null = null;
    while (this.resendLater.length > 0 && this.quotaUsed < this.receiveMaximum) {
      const o = this.resendLater.shift()!;
      if (this._inflight?.get(o.packetId) !== o) continue;
      this.take(o);
      (out ??= []).push(o);
    }
    if (this.resendLater.length > 0) return out ?? NO_RELEASE;
    while (this.head < this.queue.length && this.quotaUsed < this.receiveMaximum) {
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
    this.queue = NONE;
    this.head = 0;
    return q;
  }

  /** All entries, in-flight first then queued; for persistence snapshots and tests. */
  all(): Outgoing[] {
    return [...(this._inflight?.values() ?? []), ...this.queue.slice(this.head)];
  }

  clear(): void {
    this._inflight = null;
    this.quotaUsed = 0;
    this.resendLater = NONE;
    this.queue = NONE;
    this.head = 0;
  }

  private assign(o: Outgoing): void {
    o.packetId = this.allocId();
    o.state = OutState.PublishSent;
    this.inflight.set(o.packetId, o);
    this.take(o);
  }

  /** Its PUBLISH goes out on the current connection: it uses one unit of the send quota. */
  private take(o: Outgoing): void {
    o.epoch = this.epoch;
    this.quotaUsed++;
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
      if (this.head === 0) return;
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
