/**
 * The event-shaped entry point of a connection's protocol core, and a recording sink for
 * sans-IO tests: events in (`handle`), actions out. Actions are send, close, route, persist
 * (the writes and sync requests), arm timer and session closed (which publishes the will).
 */
import type { Packet, ProtocolLevel, ProtocolViolation, QoS } from '../codec/index.ts';
import type { ConnEffects, ConnSink, DurableListener, PersistWrites } from './conn-api.ts';
import type { ConnCore } from './conn-core.ts';
import type { Message, Outgoing } from './message.ts';
import type { SessionRecord, SubscriptionRecord } from './persistence.ts';
import type { Session } from './session.ts';

/** The events of one connection; `handle` applies one. */
export type ConnEvent =
  | { kind: 'input' }
  | { kind: 'packet'; packet: Packet }
  | { kind: 'violation'; violation: ProtocolViolation; level: ProtocolLevel }
  | { kind: 'timer' }
  | { kind: 'drained' }
  /** The sync the core asked for with number `seq` (a `persist` action with op 'sync') completed. */
  | { kind: 'durable'; seq: number }
  | { kind: 'sync-failed'; seq: number; error: unknown }
  | { kind: 'eof' }
  | { kind: 'closed' };

/** Apply one event at time `now`; the resulting actions go to the core's sink and effects port. */
export function handle(core: ConnCore, e: ConnEvent, now: number): void {
  switch (e.kind) {
    case 'input':
      return core.onInput(now);
    case 'packet':
      return core.onPacket(e.packet);
    case 'violation':
      return core.onViolation(e.violation, e.level);
    case 'timer':
      return core.sweep(now);
    case 'drained':
      return; // writes are batched per tick by the shell; nothing waits for a drain yet
    case 'durable':
      return core.onDurable(e.seq);
    case 'sync-failed':
      return core.onSyncFailed(e.seq, e.error);
    case 'eof':
      return core.close();
    case 'closed':
      return core.cleanup();
  }
}

/** A persistence write or sync request, as a RecordingSink records it. */
export type PersistOp =
  | { op: 'put-session'; clientId: string; record: SessionRecord }
  | { op: 'delete-session'; clientId: string }
  | { op: 'put-outbound'; clientId: string; seq: number; packetId: number; qos: QoS; topic: string }
  | { op: 'remove-outbound'; clientId: string; seq: number }
  | { op: 'add-inbound'; clientId: string; packetId: number }
  | { op: 'remove-inbound'; clientId: string; packetId: number }
  | { op: 'clear-retained'; topic: string }
  | { op: 'sync'; seq: number };

/** What a RecordingSink saw, in order. */
export type ConnAction =
  | { kind: 'send'; bytes: Buffer }
  | { kind: 'close' }
  /** A message routed; with `to`, to that one session (a retained message for a new subscription). */
  | { kind: 'route'; msg: Message; to?: string; qos?: QoS; retain?: boolean }
  | ({ kind: 'persist' } & PersistOp)
  | { kind: 'arm-timer'; ms: number }
  /** The connection of `clientId`'s session ended; the session manager publishes `will` after `willDelay` s. */
  | { kind: 'session-closed'; clientId: string; will: Message | null; willDelay: number }
  | { kind: 'subscribe'; clientId: string; subscription: SubscriptionRecord }
  | { kind: 'unsubscribe'; clientId: string; filter: string };

/**
 * A sink that records the core's output (sans-IO tests): both ports, ConnSink and ConnEffects.
 * With `forward` (a broker's `effects`) the broker-side actions are also carried out, so that
 * other connections see the routing and the session manager the session's end; without it they
 * are only recorded, and a test answers a sync with `handle(core, { kind: 'durable', seq }, now)`.
 */
export class RecordingSink implements ConnSink, ConnEffects {
  readonly actions: ConnAction[] = [];
  writableLength = 0;
  idleMs = 0;
  readonly persist: PersistWrites;

  constructor(private readonly forward: ConnEffects | null = null) {
    const rec = (op: PersistOp): void => {
      this.actions.push({ kind: 'persist', ...op });
    };
    const fwd = (): PersistWrites | null => this.forward?.persist ?? null;
    this.persist = {
      putSession: (record) => {
        rec({ op: 'put-session', clientId: record.clientId, record });
        fwd()?.putSession(record);
      },
      deleteSession: (clientId) => {
        rec({ op: 'delete-session', clientId });
        fwd()?.deleteSession(clientId);
      },
      putOutbound: (clientId, o: Outgoing) => {
        rec({ op: 'put-outbound', clientId, seq: o.seq, packetId: o.packetId, qos: o.qos, topic: o.msg.topic });
        fwd()?.putOutbound(clientId, o);
      },
      removeOutbound: (clientId, seq) => {
        rec({ op: 'remove-outbound', clientId, seq });
        fwd()?.removeOutbound(clientId, seq);
      },
      addInbound: (clientId, packetId) => {
        rec({ op: 'add-inbound', clientId, packetId });
        fwd()?.addInbound(clientId, packetId);
      },
      removeInbound: (clientId, packetId) => {
        rec({ op: 'remove-inbound', clientId, packetId });
        fwd()?.removeInbound(clientId, packetId);
      },
      clearRetained: (topic) => {
        rec({ op: 'clear-retained', topic });
        fwd()?.clearRetained(topic);
      },
    };
  }

  // ---- ConnSink ----
  send(buf: Buffer): void {
    this.actions.push({ kind: 'send', bytes: Buffer.from(buf) });
  }
  end(): void {
    this.actions.push({ kind: 'close' });
  }
  idle(idleMs: number): void {
    this.idleMs = idleMs;
  }

  // ---- ConnEffects ----
  route(msg: Message): void {
    this.actions.push({ kind: 'route', msg });
    this.forward?.route(msg);
  }
  deliver(s: Session, msg: Message, qos: QoS, retain: boolean, subIds: number[] | undefined): void {
    this.actions.push({ kind: 'route', msg, to: s.clientId, qos, retain });
    this.forward?.deliver(s, msg, qos, retain, subIds);
  }
  sync(core: DurableListener, seq: number): void {
    this.actions.push({ kind: 'persist', op: 'sync', seq });
    this.forward?.sync(core, seq);
  }
  armTimer(ms: number): void {
    this.actions.push({ kind: 'arm-timer', ms });
    this.forward?.armTimer(ms);
  }
  sessionClosed(s: Session, now: number, will: Message | null, willDelay: number): void {
    this.actions.push({ kind: 'session-closed', clientId: s.clientId, will, willDelay });
    this.forward?.sessionClosed(s, now, will, willDelay);
  }
  subscribe(s: Session, rec: SubscriptionRecord): void {
    this.actions.push({ kind: 'subscribe', clientId: s.clientId, subscription: { ...rec } });
    this.forward?.subscribe(s, rec);
  }
  unsubscribe(s: Session, filter: string): void {
    this.actions.push({ kind: 'unsubscribe', clientId: s.clientId, filter });
    this.forward?.unsubscribe(s, filter);
  }

  /** Take the recorded actions. */
  take(): ConnAction[] {
    return this.actions.splice(0);
  }
}
