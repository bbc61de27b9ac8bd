/**
 * Releases units at given times while keeping their order, as TCP would: a unit due earlier
 * than the one in front of it waits for it. One timer for the queue head, none when idle.
 */
import type { Stage, StageEnv } from './toxic.ts';
import type { Unit } from '../types.ts';

export class TimedQueue {
  private q: Array<{ u: Unit; at: number }> = [];
  private cancel: (() => void) | undefined;
  private lastAt = -Infinity;
  private ended = false;
  private endDelay = 0;
  constructor(private readonly env: StageEnv) {}

  get size(): number {
    return this.q.length;
  }

  /** Queues u for release at absolute time `at` (never before the units in front of it). */
  enqueue(u: Unit, at: number): void {
    const due = Math.max(at, this.lastAt);
    this.lastAt = due;
    if (this.q.length === 0 && due <= this.env.sched.now()) {
      this.env.next(u);
      return;
    }
    this.q.push({ u, at: due });
    if (this.q.length === 1) this.arm();
  }

  /** Passes end-of-stream on after everything queued has gone (plus an optional extra delay). */
  end(extraDelay = 0): void {
    this.ended = true;
    this.endDelay = extraDelay;
    if (this.q.length === 0) this.finish();
  }

  dispose(flush: boolean): void {
    this.cancel?.();
    this.cancel = undefined;
    const rest = this.q;
    this.q = [];
    for (const x of rest) (flush ? this.env.next : this.env.discard)(x.u);
    if (this.ended && flush) this.env.end();
  }

  private finish(): void {
    if (this.endDelay > 0) {
      const d = this.endDelay;
      this.endDelay = 0;
      this.cancel = this.env.sched.setTimer(d, () => this.env.end());
    } else this.env.end();
  }

  private arm(): void {
    const head = this.q[0];
    this.cancel = this.env.sched.setTimer(head.at - this.env.sched.now(), () => this.release());
  }

  private release(): void {
    this.cancel = undefined;
    const now = this.env.sched.now();
    let i = 0;
    while (i < this.q.length && this.q[i].at <= now) i++;
    const out = this.q.splice(0, i);
    for (const x of out) this.env.next(x.u);
    if (this.q.length > 0) this.arm();
    else if (this.ended) this.finish();
  }
}

/** A stage built on a TimedQueue: `delayOf(u)` returns ms to hold u (0 = no hold), or -1 to drop. */
export function queueStage(env: StageEnv, delayOf: (u: Unit) => number, endDelay = 0): Stage {
  const q = new TimedQueue(env);
  return {
    push(u) {
      const d = delayOf(u);
      if (d < 0) return env.discard(u);
      q.enqueue(u, env.sched.now() + d);
    },
    end: () => q.end(endDelay),
    dispose: (flush) => q.dispose(flush),
  };
}
