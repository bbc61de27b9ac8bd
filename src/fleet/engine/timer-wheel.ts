/**
 * One hashed timer wheel shared by every device of a process: a single interval drives all
 * link delays, publish schedules and reconnect backoffs, so a device owns no timer of its own.
 * Entries are plain (kind, device, arg) tuples dispatched to one handler. Sans-IO: `advance`
 * takes the time; `start` binds it to a real interval.
 */
export type WheelHandler = (kind: number, dev: number, arg: unknown) => void;

interface Entry {
  at: number;
  kind: number;
  dev: number;
  arg: unknown;
}

export class TimerWheel {
  private readonly slots: Entry[][];
  private cursor: number;
  private timer: NodeJS.Timeout | undefined;
  size = 0;

  /** `tickMs` is the resolution; `slots * tickMs` one revolution (longer timers wait for their turn). */
  constructor(
    private readonly handler: WheelHandler,
    readonly tickMs = 5,
    slotCount = 4096,
    now = 0,
  ) {
    this.slots = Array.from({ length: slotCount }, () => []);
    this.cursor = Math.floor(now / tickMs);
  }

  /** Runs `kind` for `dev` at absolute time `at` (ms, the wheel's clock), at the earliest on the next tick. */
  at(at: number, kind: number, dev: number, arg?: unknown): void {
    const tick = Math.max(this.cursor + 1, Math.ceil(at / this.tickMs));
    this.slots[tick % this.slots.length].push({ at: tick * this.tickMs, kind, dev, arg });
    this.size++;
  }

  /** Fires everything due up to `now`, in time order within each tick's slot (insertion order). */
  advance(now: number): void {
    const target = Math.floor(now / this.tickMs);
    const n = this.slots.length;
    while (this.cursor < target) {
      this.cursor++;
      const slot = this.slots[this.cursor % n];
      if (slot.length === 0) continue;
      const limit = this.cursor * this.tickMs;
      const keep: Entry[] = [];
      const due: Entry[] = [];
      for (const e of slot) (e.at <= limit ? due : keep).push(e);
      this.slots[this.cursor % n] = keep;
      this.size -= due.length;
      for (const e of due) this.handler(e.kind, e.dev, e.arg);
    }
  }

  start(clock: () => number): void {
    this.timer ??= setInterval(() => this.advance(clock()), this.tickMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
