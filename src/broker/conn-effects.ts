/**
 * The broker side of a connection core's actions (ConnEffects, conn-api.ts). Each method
 * forwards straight to the router, persistence, sweep or session manager (sessions and their
 * subscriptions); a sync's completion
 * comes back to the core as its durable / sync-failed event (DurableListener). The socket shell
 * (connection.ts) extends it, so a connection's one output port carries out both kinds of
 * action at no memory cost; `Broker.effects` is one for RecordingSinks to forward to.
 */
import type { QoS } from '../codec/index.ts';
import type { ConnEffects, DurableListener, PersistWrites } from './conn-api.ts';
import type { BrokerContext } from './context.ts';
import type { Message } from './message.ts';
import type { SubscriptionRecord } from './persistence.ts';
import type { Session } from './session.ts';

export class BrokerEffects implements ConnEffects {
  constructor(readonly ctx: BrokerContext) {}

  route(msg: Message): void {
    this.ctx.publish(msg);
  }

  deliver(s: Session, msg: Message, qos: QoS, retain: boolean, subIds: number[] | undefined): void {
    // Looked up on every call: the misbehave decorator (misbehave.ts) replaces router.deliver.
    this.ctx.router.deliver(s, msg, qos, retain, subIds);
  }

  get persist(): PersistWrites {
    return this.ctx.persistence;
  }

  sync(core: DurableListener, seq: number): void {
    this.ctx.persistence.sync().then(
      () => core.onDurable(seq),
      (e: unknown) => core.onSyncFailed(seq, e),
    );
  }

  armTimer(_ms: number): void {
    // The shared sweep ticks every SWEEP_MS while any connection is open; a deadline is met within one tick.
    this.ctx.sweep.ensureRunning();
  }

  sessionClosed(s: Session, now: number, will: Message | null, willDelay: number): void {
    this.ctx.sessions.closed(s, now, will, willDelay);
  }

  subscribe(s: Session, rec: SubscriptionRecord): void {
    this.ctx.sessions.addSubscription(s, rec);
  }

  unsubscribe(s: Session, filter: string): void {
    this.ctx.sessions.removeSubscription(s, filter);
  }
}
