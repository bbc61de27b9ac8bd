/**
 * A link profile (scenarios/links) compiled for in-process emulation: one-way latency and
 * jitter and a bandwidth per direction, plus at most one outage schedule and one
 * Gilbert–Elliott chain. The proxy's own toxic schemas validate the attributes; the decision
 * code (outageStateAt, geStep) is the proxy's too, so a profile means the same on both paths.
 */
import { loadProfile, normalizeToxic, type OutageSchedule } from '../../proxy/index.ts';

export type Existing = 'close' | 'reset' | 'stall';
export type Admission = 'refuse' | 'blackhole';

export interface Direction {
  latency: number;
  jitter: number;
  /** Bytes per ms (KB/s); 0 = unlimited. */
  rate: number;
}

export interface LinkSpec {
  name: string;
  up: Direction;
  down: Direction;
  outage?: OutageSchedule & { existing: Existing; new_connections: Admission };
  flaky?: {
    step_ms: number;
    p_good_to_bad: number;
    p_bad_to_good: number;
    cut_probability: number;
    existing: Existing;
    new_connections: Admission;
  };
}

export const CLEAN_LINK: LinkSpec = {
  name: 'none',
  up: { latency: 0, jitter: 0, rate: 0 },
  down: { latency: 0, jitter: 0, rate: 0 },
};

/** Compiles a profile by name or path; a toxic the fleet cannot emulate is an error naming it. */
export function compileLink(nameOrPath: string): LinkSpec {
  if (nameOrPath === 'none') return CLEAN_LINK;
  const p = loadProfile(nameOrPath);
  const spec: LinkSpec = {
    name: p.name,
    up: { latency: 0, jitter: 0, rate: 0 },
    down: { latency: 0, jitter: 0, rate: 0 },
  };
  p.toxics.forEach((t, i) => {
    const { spec: s, attrs } = normalizeToxic(t, `toxics[${i}]`);
    const a = attrs as Record<string, never>;
    const dirs = s.stream === 'upstream' ? [spec.up] : [spec.down];
    switch (s.type) {
      case 'latency':
        for (const d of dirs) {
          d.latency += Number(a.latency ?? 0);
          d.jitter += Number(a.jitter ?? 0);
        }
        break;
      case 'bandwidth':
        for (const d of dirs) d.rate = Number(a.rate);
        break;
      case 'outage':
        spec.outage = a as unknown as LinkSpec['outage'];
        break;
      case 'flaky':
        spec.flaky = a as unknown as LinkSpec['flaky'];
        break;
      default:
        throw new Error(
          `${p.file}: toxics[${i}]: the fleet's in-process links emulate latency, bandwidth, outage and flaky, not ${s.type} (use the standalone proxy for it)`,
        );
    }
  });
  return spec;
}

/**
 * When `bytes` sent at `now` arrive: serialisation at the rate plus latency ± jitter (u is a
 * uniform draw), never before the previous chunk on the same direction (`free`): TCP keeps order.
 */
export function deliveryTime(d: Direction, now: number, free: number, bytes: number, u: number): number {
  const serial = d.rate > 0 ? bytes / d.rate : 0;
  const delay = Math.max(0, d.latency + (d.jitter > 0 ? (2 * u - 1) * d.jitter : 0));
  return Math.max(now + serial + delay, free);
}
