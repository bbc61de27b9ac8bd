/**
 * Opt-in busy polling: after traffic, keep the event loop turning (a chain of setImmediate
 * callbacks, so libuv polls with a zero timeout) for a window instead of sleeping in epoll.
 *
 * Why: waking a sleeping process costs tens of µs on a virtual machine, and a proxy puts two
 * such wake-ups on every message's path. While the loop turns, data is picked up as soon as the
 * kernel has it. The price is a core at 100% while traffic flows and for `windowMs` after it,
 * so it is off unless asked for (ProxyOptions.busyPollMs, `mqtt-harness proxy --busy-poll MS`).
 */

/** The longest window accepted: a bound, so a typo cannot pin a core for minutes after traffic. */
export const MAX_BUSY_POLL_MS = 1000;

export function checkBusyPollMs(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_BUSY_POLL_MS) {
    throw new RangeError(`busy poll window must be 0..${MAX_BUSY_POLL_MS} ms, not ${ms}`);
  }
  return ms;
}

export class BusyPoller {
  private last = 0;
  private running = false;
  private stopped = false;
  /** How many polling turns ran (for tests and statistics). */
  turns = 0;

  constructor(
    readonly windowMs: number,
    private readonly now: () => number = () => performance.now(),
    private readonly defer: (f: () => void) => void = (f) => void setImmediate(f),
  ) {
    checkBusyPollMs(windowMs);
  }

  get active(): boolean {
    return this.running;
  }

  /** Traffic happened: poll for another window from now. */
  readonly touch = (): void => {
    if (this.stopped || this.windowMs === 0) return;
    this.last = this.now();
    if (!this.running) {
      this.running = true;
      this.defer(this.turn);
    }
  };

  private readonly turn = (): void => {
    if (this.stopped || this.now() - this.last >= this.windowMs) {
      this.running = false;
      return;
    }
    this.turns++;
    this.defer(this.turn);
  };

  /** No more polling, now or after later traffic. */
  stop(): void {
    this.stopped = true;
  }
}
