/**
 * One shared timer per broker instead of a timer per connection: every SWEEP_MS it visits the
 * open connections, which check their own CONNECT deadline and keep alive against the
 * scheduler's `now`, and release buffers an idle connection does not need. A per-connection
 * timer costs a Timeout object (and a re-arm on every expiry); the sweep costs one comparison
 * per connection per tick. The timer runs on the injected Scheduler and stops when no
 * connection is open.
 */
import type { Scheduler } from '../common/index.ts';

export const SWEEP_MS = 250;

export interface Sweepable {
  sweep(now: number): void;
}

export class ConnSweep {
  private cancel: (() => void) | null = null;

  constructor(
    private readonly conns: ReadonlySet<unknown>,
    private readonly scheduler: Scheduler,
  ) {}

  /** Call when a connection opens: starts the timer if it is not running. */
  ensureRunning(): void {
    if (this.cancel === null) this.cancel = this.scheduler.setTimer(SWEEP_MS, () => this.run());
  }

  stop(): void {
    if (this.cancel !== null) this.cancel();
    this.cancel = null;
  }

  private run(): void {
    this.cancel = null;
    if (this.conns.size === 0) return;
    const now = this.scheduler.now();
    // A connection may close itself (and leave the set) inside sweep(); Set iteration allows that.
    for (const c of this.conns) (c as Sweepable).sweep(now);
    this.ensureRunning();
  }
}
