/**
 * Injected time. Pure cores take `now` (milliseconds) as an argument or read it
 * from a Clock handed to them; only the I/O shells use the system clock.
 */
export interface Clock {
  /** Milliseconds since an arbitrary epoch; monotonic for SystemClock. */
  now(): number;
}

/** Read once: `performance.timeOrigin` is a getter that calls into the runtime on every read (5% of the broker's busy time at 5,000 msg/s). */
const TIME_ORIGIN = performance.timeOrigin;

export const systemClock: Clock = {
  now: () => TIME_ORIGIN + performance.now(),
};

/** A clock that only moves when told to; for tests and simulations. */
export class ManualClock implements Clock {
  constructor(private t = 0) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    if (ms < 0) throw new RangeError(`ManualClock.advance: negative step ${ms}`);
    this.t += ms;
  }
  set(ms: number): void {
    this.t = ms;
  }
}
