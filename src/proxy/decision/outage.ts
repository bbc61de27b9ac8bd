/** Pure up/down outage schedule: where in the cycle a given elapsed time falls. */
export interface OutageSchedule {
  up_ms: number;
  down_ms: number;
  /** Which phase the cycle starts in. */
  start: 'up' | 'down';
  /** Number of down phases before the schedule stays up for good; 0 = forever. */
  cycles: number;
}

export interface OutageState {
  down: boolean;
  /** ms until the next change; Infinity once the schedule has finished. */
  nextChangeIn: number;
  /** 1-based index of the current (or last) down phase; 0 before the first. */
  outage: number;
}

export function outageStateAt(s: OutageSchedule, elapsed: number): OutageState {
  const period = s.up_ms + s.down_ms;
  if (period <= 0) return { down: false, nextChangeIn: Infinity, outage: 0 };
  // Shift so that every cycle is [down, up); starting 'up' means we begin up_ms before cycle 0.
  const t = s.start === 'up' ? elapsed - s.up_ms : elapsed;
  if (t < 0) return { down: false, nextChangeIn: -t, outage: 0 };
  const cycle = Math.floor(t / period);
  if (s.cycles > 0 && cycle >= s.cycles) return { down: false, nextChangeIn: Infinity, outage: s.cycles };
  const within = t - cycle * period;
  if (within < s.down_ms) return { down: true, nextChangeIn: s.down_ms - within, outage: cycle + 1 };
  const last = s.cycles > 0 && cycle + 1 >= s.cycles;
  return { down: false, nextChangeIn: last ? Infinity : period - within, outage: cycle + 1 };
}
