/**
 * A proxy's record of faults: the last `limit` FaultEvents, a count per toxic of the faults not
 * tied to one link, and the onFault listeners (a listener that throws does not break the proxy).
 */
import type { FaultEvent } from './types.ts';

export class FaultLog {
  /** Faults not tied to a link, per toxic (part of the proxy's stats). */
  readonly proxyFaults: Record<string, number> = {};
  private readonly listeners = new Set<(ev: FaultEvent) => void>();
  private readonly log: FaultEvent[] = [];

  constructor(private readonly limit: number) {}

  emit(ev: FaultEvent): void {
    if (ev.link === undefined) this.proxyFaults[ev.toxic] = (this.proxyFaults[ev.toxic] ?? 0) + 1;
    this.log.push(ev);
    if (this.log.length > this.limit) this.log.splice(0, this.log.length - this.limit);
    for (const fn of this.listeners) {
      try {
        fn(ev);
      } catch {
        /* a listener's bug must not break the proxy */
      }
    }
  }

  onFault(fn: (ev: FaultEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** A copy of the recorded events, oldest first. */
  events(): FaultEvent[] {
    return [...this.log];
  }
}
