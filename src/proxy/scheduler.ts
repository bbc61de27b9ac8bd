/**
 * Injected time + timers for the proxy. Decision logic reads `now()` and sets timers only
 * through a Scheduler, so tests can drive whole toxic chains with a ManualScheduler.
 */
import { systemClock, type Clock } from '../common/clock.ts';

export interface Scheduler extends Clock {
  /** Runs fn after ms (0 = as soon as possible, but never synchronously). Returns a cancel function. */
  setTimer(ms: number, fn: () => void): () => void;
}

export function systemScheduler(clock: Clock = systemClock): Scheduler {
  return {
    now: () => clock.now(),
    setTimer(ms, fn) {
      const t = setTimeout(fn, Math.max(0, ms));
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
    const end = this.t + ms;
    for (;;) {
      const due = this.timers
        .filter((x) => x.live && x.at <= end)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
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
