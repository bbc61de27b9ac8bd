/**
 * Counts what a checker examined, one entry per item (e.g. one message/subscriber pair),
 * however many sub-checks look at that item. An item is decided (held), undecided (with a
 * reason), or violated; the worst state wins, so two sub-checks over the same pair (QoS 2:
 * "no duplicate" and "not lost") count it once.
 */
import type { Findings, Violation } from './result.ts';

type State = 'held' | 'undecided' | 'violated';
const RANK: Record<State, number> = { held: 0, undecided: 1, violated: 2 };

export class Tally {
  private readonly items = new Map<string, State>();
  private readonly why = new Map<string, string>();
  private readonly examples = new Map<string, string>();
  private readonly eitherWhy = new Map<string, string>();
  private readonly eitherExamples = new Map<string, string>();
  readonly violations: Violation[] = [];

  private mark(item: string, s: State): void {
    const cur = this.items.get(item);
    if (cur === undefined || RANK[s] > RANK[cur]) this.items.set(item, s);
  }

  /** The item was examined and the guarantee holds for it (so far as this sub-check goes). */
  held(item: string): void {
    this.mark(item, 'held');
  }

  /** The item could not be decided; `reason` is a short, countable cause ("subscriber offline at the end"). */
  undecided(item: string, reason: string, example?: string): void {
    this.mark(item, 'undecided');
    if (!this.why.has(item)) this.why.set(item, reason);
    if (example !== undefined && !this.examples.has(reason)) this.examples.set(reason, example);
  }

  /**
   * The item is decided and holds because the specification allows either answer here (say,
   * Session Present after a CONNECT whose outcome is unknown); counted apart, with `reason`.
   */
  either(item: string, reason: string, example?: string): void {
    this.mark(item, 'held');
    if (!this.eitherWhy.has(item)) this.eitherWhy.set(item, reason);
    if (example !== undefined && !this.eitherExamples.has(reason)) this.eitherExamples.set(reason, example);
  }

  violated(item: string, v: Violation): void {
    this.mark(item, 'violated');
    this.violations.push(v);
  }

  findings(): Findings {
    let unknown = 0;
    const reasons = new Map<string, number>();
    for (const [item, s] of this.items) {
      if (s !== 'undecided') continue;
      unknown++;
      const r = this.why.get(item) ?? 'undecided';
      reasons.set(r, (reasons.get(r) ?? 0) + 1);
    }
    const undecided = [...reasons]
      .sort((a, b) => b[1] - a[1])
      .map(([reason, count]) => ({
        reason,
        count,
        ...(this.examples.has(reason) ? { example: this.examples.get(reason)! } : {}),
      }));
    const eitherReasons = new Map<string, number>();
    for (const [item, r] of this.eitherWhy)
      if (this.items.get(item) === 'held') eitherReasons.set(r, (eitherReasons.get(r) ?? 0) + 1);
    const either = [...eitherReasons]
      .sort((a, b) => b[1] - a[1])
      .map(([reason, count]) => ({
        reason,
        count,
        ...(this.eitherExamples.has(reason) ? { example: this.eitherExamples.get(reason)! } : {}),
      }));
    return {
      violations: this.violations,
      checked: this.items.size,
      unknown,
      undecided,
      ...(either.length > 0 ? { either } : {}),
    };
  }
}
