/**
 * Acknowledgements that wait for durable persistence (PUBACK / PUBREC of a QoS 1/2 PUBLISH, a
 * SUBACK that changed a persistent session). They are sent in arrival order once a sync() that
 * covers them has completed. One sync and one pair of promise callbacks per batch and
 * connection (the callbacks are made once per connection), not a closure pair per message.
 * A batch is what arrives in one event-loop turn (e.g. every PUBLISH of one socket read); while
 * a sync runs, new acks wait for the next one (FilePersistence group-commits them anyway).
 * On a failed sync nothing more is acknowledged and the connection closes (DISCONNECT 0x80).
 */
import type { Conn, DurableAckQueue } from './conn-api.ts';

/** A PUBACK (packet id), a PUBREC (0x10000 | packet id), or anything else to send (a SUBACK). */
type Entry = number | (() => void);
const PUBREC = 0x10000;
const startBatch = (d: DurableAcks): void => d.start();

export class DurableAcks implements DurableAckQueue {
  private waiting: Entry[] = [];
  private batch: Entry[] = [];
  private syncing = false;
  private scheduled = false;
  private readonly onSynced = (): void => this.synced();
  private readonly onFailed = (e: unknown): void => this.failed(e);

  constructor(private readonly c: Conn) {}

  puback(id: number): void {
    this.add(id);
  }

  pubrec(id: number): void {
    this.add(PUBREC | id);
  }

  /** Run `send` once what was recorded before now is durable. */
  after(send: () => void): void {
    this.add(send);
  }

  private add(e: Entry): void {
    this.c.pendingAcks++;
    this.waiting.push(e);
    if (!this.syncing && !this.scheduled) {
      this.scheduled = true;
      process.nextTick(startBatch, this);
    }
  }

  /** Called at the end of the turn (startBatch) or after a sync when more acks are waiting. */
  start(): void {
    this.scheduled = false;
    if (this.syncing || this.waiting.length === 0) return;
    const b = this.batch; // empty: reused as the next waiting list
    this.batch = this.waiting;
    this.waiting = b;
    this.syncing = true;
    this.c.afterDurable(this.onSynced, this.onFailed);
  }

  private synced(): void {
    const c = this.c;
    const b = this.batch;
    for (let i = 0; i < b.length; i++) {
      const e = b[i];
      c.pendingAcks--;
      if (typeof e === 'number') c.sendAck(e >= PUBREC ? 'pubrec' : 'puback', e & 0xffff);
      else e();
    }
    b.length = 0;
    this.syncing = false;
    if (this.waiting.length > 0) this.start();
  }

  private failed(e: unknown): void {
    const c = this.c;
    c.pendingAcks -= this.batch.length + this.waiting.length;
    this.batch.length = 0;
    this.waiting.length = 0;
    this.syncing = false;
    c.ctx.logger.error('persistence sync failed; closing connection without acknowledging', {
      clientId: c.clientId,
      error: String(e),
    });
    c.disconnect(0x80);
  }
}
