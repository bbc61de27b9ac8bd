/**
 * One shared, unref'd interval per broker instead of a timer per connection: every
 * SWEEP_MS it visits the open connections, which check their own CONNECT deadline and
 * keep alive against a `now` in performance.now() milliseconds, and release buffers an
 * idle connection does not need. A per-connection setTimeout costs a Timeout object
 * (and a re-arm on every expiry); the sweep costs one comparison per connection per tick.
 */
export const SWEEP_MS = 250;

export interface Sweepable {
  sweep(now: number): void;
}

export class ConnSweep {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly conns: ReadonlySet<unknown>) {}

  /** Call when a connection opens: starts the interval if it is not running. */
  ensureRunning(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.run(), SWEEP_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private run(): void {
    if (this.conns.size === 0) return this.stop();
    const now = performance.now();
    // A connection may close itself (and leave the set) inside sweep(); Set iteration allows that.
    for (const c of this.conns) (c as Sweepable).sweep(now);
  }
}
