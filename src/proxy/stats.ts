/** Adding up per-link statistics into per-proxy totals. */
import type { DirectionStats, LinkStats, ProxyStats } from './types.ts';

export const emptyDirection = (): DirectionStats => ({ bytes: 0, packets: 0, byType: {} });

export function addDirection(into: DirectionStats, d: DirectionStats): void {
  into.bytes += d.bytes;
  into.packets += d.packets;
  if (d.violations !== undefined) into.violations = (into.violations ?? 0) + d.violations;
  for (const [k, v] of Object.entries(d.byType)) {
    const key = k as keyof DirectionStats['byType'];
    into.byType[key] = (into.byType[key] ?? 0) + (v ?? 0);
  }
}

export function addFaults(into: Record<string, number>, f: Record<string, number>): void {
  for (const [k, v] of Object.entries(f)) into[k] = (into[k] ?? 0) + v;
}

/** Totals kept for links that have closed, so stats() stays cheap with many links. */
export class StatsTotals {
  readonly upstream = emptyDirection();
  readonly downstream = emptyDirection();
  readonly faults: Record<string, number> = {};
  byteModeLinks = 0;

  add(l: LinkStats): void {
    addDirection(this.upstream, l.upstream);
    addDirection(this.downstream, l.downstream);
    addFaults(this.faults, l.faults);
    if (l.mode === 'bytes') this.byteModeLinks++;
  }

  /** Closed totals + the open links + proxy-level faults. */
  snapshot(open: LinkStats[], connections: number, refused: number, proxyFaults: Record<string, number>): ProxyStats {
    const s: ProxyStats = {
      connections,
      activeLinks: open.length,
      refused,
      upstream: structuredClone(this.upstream),
      downstream: structuredClone(this.downstream),
      faults: { ...this.faults },
      byteModeLinks: this.byteModeLinks,
    };
    for (const l of open) {
      addDirection(s.upstream, l.upstream);
      addDirection(s.downstream, l.downstream);
      addFaults(s.faults, l.faults);
      if (l.mode === 'bytes') s.byteModeLinks++;
    }
    addFaults(s.faults, proxyFaults);
    return s;
  }
}
