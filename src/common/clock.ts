/**
 * Injected time. Pure cores take `now` (milliseconds) as an argument or read it
 * from a Clock handed to them; only the I/O shells use the system clock.
 */
export interface Clock {
  /** Milliseconds since an arbitrary epoch; monotonic for SystemClock. */
  now(): number;
}

export const systemClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
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
