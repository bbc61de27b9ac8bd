/**
 * What a slice measures: HDR histograms (µs) of end-to-end and connect latency, and a
 * timeline of per-second counters and latency histograms. Everything merges without loss:
 * counters add, histograms add (hdr-histogram-js), timelines align on epoch seconds.
 */
import * as hdr from 'hdr-histogram-js';

export type Histogram = hdr.Histogram;

export const newHistogram = (): Histogram =>
  hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });

/**
 * A coarser histogram for the timeline's per-second latencies (plots and the live line): two
 * significant digits (1%) instead of three make it ~12 KB instead of ~90 KB, and a run keeps
 * one per second per process. The run's overall histograms keep three digits.
 */
export const newSecondHistogram = (): Histogram =>
  hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 2 });

export const encodeHistogram = (h: Histogram): string => hdr.encodeIntoCompressedBase64(h);
export const decodeHistogram = (s: string): Histogram => {
  const h = newHistogram();
  h.add(hdr.decodeFromCompressedBase64(s));
  return h;
};

export interface SecondStats {
  /** Epoch second. */
  t: number;
  connected: number;
  /** Devices whose link is down (outage, bad state, storm) at the sample. */
  faulty: number;
  pubs: number;
  acks: number;
  recvs: number;
  drops: number;
  connects: number;
  connectFailures: number;
  /** End-to-end latency of the messages received in this second (encoded histogram, µs). */
  e2e?: string;
}

type Sec = SecondStats & { hist?: Histogram; sampled?: boolean };

export class Timeline {
  readonly seconds = new Map<number, Sec>();

  at(epochMs: number): Sec {
    const t = Math.floor(epochMs / 1000);
    let s = this.seconds.get(t);
    if (s === undefined)
      this.seconds.set(
        t,
        (s = { t, connected: 0, faulty: 0, pubs: 0, acks: 0, recvs: 0, drops: 0, connects: 0, connectFailures: 0 }),
      );
    return s;
  }

  latency(epochMs: number, us: number): void {
    const s = this.at(epochMs);
    (s.hist ??= newSecondHistogram()).recordValue(us);
  }

  /** The gauges (connected, links down) sampled at `epochMs`. */
  sample(epochMs: number, connected: number, faulty: number): void {
    const s = this.at(epochMs);
    s.connected = connected;
    s.faulty = faulty;
    s.sampled = true;
  }

  /**
   * Every second from the first to the last, in order. A second without a gauge sample (the
   * process was busy or starved past it) carries the last sample forward, so a missed sample
   * never reads as "nobody connected".
   */
  toJSON(): SecondStats[] {
    const ts = [...this.seconds.keys()];
    if (ts.length === 0) return [];
    const out: SecondStats[] = [];
    let last = { connected: 0, faulty: 0 };
    for (let t = Math.min(...ts); t <= Math.max(...ts); t++) {
      const s = this.seconds.get(t) ?? {
        t,
        connected: 0,
        faulty: 0,
        pubs: 0,
        acks: 0,
        recvs: 0,
        drops: 0,
        connects: 0,
        connectFailures: 0,
      };
      const { hist, sampled, ...rest } = s;
      if (sampled) last = { connected: s.connected, faulty: s.faulty };
      out.push({
        ...rest,
        connected: last.connected,
        faulty: last.faulty,
        ...(hist ? { e2e: encodeHistogram(hist) } : {}),
      });
    }
    return out;
  }
}

/**
 * Adds timelines (connected and links down are gauges sampled per part, so they add too; a part
 * whose timeline ends earlier keeps its last sample, so the sum never shows a false drop).
 */
export function mergeTimelines(parts: readonly SecondStats[][]): SecondStats[] {
  const by = new Map<number, SecondStats & { hist?: Histogram }>();
  const blank = (t: number): SecondStats & { hist?: Histogram } => ({
    t,
    connected: 0,
    faulty: 0,
    pubs: 0,
    acks: 0,
    recvs: 0,
    drops: 0,
    connects: 0,
    connectFailures: 0,
  });
  const end = Math.max(-Infinity, ...parts.map((p) => (p.length > 0 ? p[p.length - 1].t : -Infinity)));
  for (const part of parts) {
    for (const s of part) {
      const m = by.get(s.t) ?? blank(s.t);
      for (const k of ['connected', 'faulty', 'pubs', 'acks', 'recvs', 'drops', 'connects', 'connectFailures'] as const)
        m[k] += s[k];
      if (s.e2e) (m.hist ??= newSecondHistogram()).add(decodeHistogram(s.e2e));
      by.set(s.t, m);
    }
    const last = part[part.length - 1];
    if (last) {
      for (let t = last.t + 1; t <= end; t++) {
        const m = by.get(t) ?? blank(t);
        m.connected += last.connected;
        m.faulty += last.faulty;
        by.set(t, m);
      }
    }
  }
  return [...by.values()]
    .sort((a, b) => a.t - b.t)
    .map(({ hist, ...rest }) => ({ ...rest, ...(hist ? { e2e: encodeHistogram(hist) } : {}) }));
}

/** p50 … max of a histogram in ms, or undefined when it is empty. */
export function quantiles(
  h: Histogram,
):
  | { p50: number; p90: number; p95: number; p99: number; 'p99.9': number; max: number; mean: number; count: number }
  | undefined {
  if (h.totalCount === 0) return undefined;
  const q = (p: number) => h.getValueAtPercentile(p) / 1000;
  return {
    p50: q(50),
    p90: q(90),
    p95: q(95),
    p99: q(99),
    'p99.9': q(99.9),
    max: h.maxValue / 1000,
    mean: h.mean / 1000,
    count: h.totalCount,
  };
}
