/**
 * What the proxy toxics currently ask of new and open connections: each toxic may refuse
 * (listener closed) or blackhole new connections, and may stall the open links. The strongest
 * request wins: refuse over blackhole over open; any stall stalls.
 */
export type Admission = 'open' | 'refuse' | 'blackhole';

export class AdmissionState {
  private readonly byToxic = new Map<string, Admission>();
  private readonly stalls = new Set<string>();

  set(toxic: string, a: Admission): void {
    if (a === 'open') this.byToxic.delete(toxic);
    else this.byToxic.set(toxic, a);
  }

  effective(): Admission {
    const v = [...this.byToxic.values()];
    return v.includes('refuse') ? 'refuse' : v.includes('blackhole') ? 'blackhole' : 'open';
  }

  stall(toxic: string, on: boolean): void {
    if (on) this.stalls.add(toxic);
    else this.stalls.delete(toxic);
  }

  /** Some toxic stalls the links. */
  get stalled(): boolean {
    return this.stalls.size > 0;
  }
}
