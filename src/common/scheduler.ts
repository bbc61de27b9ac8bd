/**
 * Injected time + timers. Decision logic reads `now()` and sets timers only through a
 * Scheduler, so tests drive time with a ManualScheduler instead of sleeping. Shared by the
 * proxy and the broker.
 */
import { systemClock, type Clock } from './clock.ts';

export interface Scheduler extends Clock {
  /** Runs fn after ms (0 = as soon as possible, but never synchronously). Returns a cancel function. */
  setTimer(ms: number, fn: () => void): () => void;
}

/** setTimeout caps a delay at 2^31-1 ms; longer timers are re-armed in steps. */
const MAX_STEP = 2 ** 31 - 1;

/**
 * Real timers. They do not keep the process alive (unref'd): a broker or proxy is kept
 * alive by its sockets and listeners, not by a pending expiry.
 */
export function systemScheduler(clock: Clock = systemClock): Scheduler {
  return {
    now: () => clock.now(),
    setTimer(ms, fn) {
      let left = Math.max(0, ms);
      let t: NodeJS.Timeout;
      const arm = () => {
        const step = Math.min(left, MAX_STEP);
        left -= step;
        t = setTimeout(left > 0 ? arm : fn, step);
        t.unref();
      };
      arm();
      return () => clearTimeout(t);
    },
  };
}

/** Time only moves on advance(); due timers run in time order (ties in creation order). */
export class ManualScheduler implements Scheduler {
  private t: number;
  private seq = 0;
  private timers: Array<{ at: number; seq: number; fn: () => void; live: boolean }> = [];
  constructor(start = 0) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  setTimer(ms: number, fn: () => void): () => void {
    const timer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn, live: true };
    this.timers.push(timer);
    return () => {
      timer.live = false;
    };
  }
  /** Moves time forward by ms, running every timer that falls due on the way. */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError(`ManualScheduler.advance: negative step ${ms}`);
    const end = this.t + ms;
    for (;;) {
      let due: (typeof this.timers)[number] | undefined;
      for (const x of this.timers)
        if (x.live && x.at <= end && (due === undefined || x.at < due.at || (x.at === due.at && x.seq < due.seq)))
          due = x;
      if (due === undefined) break;
      due.live = false;
      this.timers = this.timers.filter((x) => x.live);
      this.t = Math.max(this.t, due.at);
      due.fn();
    }
    this.t = end;
  }
  pending(): number {
    return this.timers.filter((x) => x.live).length;
  }
}
