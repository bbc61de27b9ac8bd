/**
 * The event-shaped entry point of a connection's protocol core, and a recording sink for
 * sans-IO tests: events in (`handle`), actions out (what the core sends, and the close).
 */
import type { Packet, ProtocolLevel, ProtocolViolation } from '../codec/index.ts';
import type { ConnSink } from './conn-api.ts';
import type { ConnCore } from './conn-core.ts';

/** The events of one connection; `handle` applies one. */
export type ConnEvent =
  | { kind: 'input' }
  | { kind: 'packet'; packet: Packet }
  | { kind: 'violation'; violation: ProtocolViolation; level: ProtocolLevel }
  | { kind: 'timer' }
  | { kind: 'drained' }
  | { kind: 'eof' }
  | { kind: 'closed' };

/** Apply one event at time `now`; the resulting actions go to the core's sink and the broker context. */
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
    case 'eof':
      return core.close();
    case 'closed':
      return core.cleanup();
  }
}

/** What a RecordingSink saw. */
export type ConnAction = { kind: 'send'; bytes: Buffer } | { kind: 'close' };

/** A sink that records the core's output (sans-IO tests). */
export class RecordingSink implements ConnSink {
  readonly actions: ConnAction[] = [];
  writableLength = 0;
  idleMs = 0;
  send(buf: Buffer): void {
    this.actions.push({ kind: 'send', bytes: Buffer.from(buf) });
  }
  end(): void {
    this.actions.push({ kind: 'close' });
  }
  idle(idleMs: number): void {
    this.idleMs = idleMs;
  }
  /** Take the recorded actions. */
  take(): ConnAction[] {
    return this.actions.splice(0);
  }
}
