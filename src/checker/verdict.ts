/**
 * Verdicts over several checkers, and how a checker verdict reads in the project's outcome
 * words (src/common/outcome.ts).
 */
import type { InconclusiveCause, Outcome } from '../common/outcome.ts';
import type { CheckResult, Verdict } from './result.ts';

/** The project-wide outcome word for a checker verdict. */
export function verdictOutcome(v: Verdict): { outcome: Outcome; cause?: InconclusiveCause } {
  switch (v) {
    case 'valid':
      return { outcome: 'passed' };
    case 'invalid':
      return { outcome: 'failed' };
    case 'unknown':
      return { outcome: 'inconclusive', cause: 'undecided' };
    case 'nothing-to-check':
      return { outcome: 'not-applicable' };
  }
}

export interface VerdictSummary {
  /**
   * invalid: some checker found a violation; unknown: none did but some left items undecided,
   * or no checker decided anything; valid: none invalid or undecided and at least one valid
   * (checkers with nothing to check are named, not counted as holding).
   */
  verdict: Exclude<Verdict, 'nothing-to-check'>;
  counts: Record<Verdict, number>;
  /** One honest line, e.g. "3 guarantees hold; 1 undecided (qos1-at-least-once); 1 had nothing to check (last-will)". */
  line: string;
}

export function summarizeVerdicts(results: readonly CheckResult[]): VerdictSummary {
  const counts: Record<Verdict, number> = { valid: 0, invalid: 0, unknown: 0, 'nothing-to-check': 0 };
  for (const r of results) counts[r.verdict]++;
  const names = (v: Verdict): string =>
    results
      .filter((r) => r.verdict === v)
      .map((r) => r.checker)
      .join(', ');
  const parts: string[] = [];
  if (counts.invalid > 0) parts.push(`GUARANTEE VIOLATED: ${names('invalid')}`);
  if (counts.unknown > 0) parts.push(`${counts.unknown} undecided (${names('unknown')})`);
  if (counts.valid > 0) {
    const all = counts.valid === results.length;
    parts.push(all ? `all ${counts.valid} guarantees hold` : `${counts.valid} hold (${names('valid')})`);
  }
  if (counts['nothing-to-check'] > 0)
    parts.push(`${counts['nothing-to-check']} had nothing to check (${names('nothing-to-check')})`);
  if (results.length === 0) parts.push('no checkers ran');
  const verdict = counts.invalid > 0 ? 'invalid' : counts.unknown > 0 || counts.valid === 0 ? 'unknown' : 'valid';
  if (verdict === 'unknown' && counts.unknown === 0) parts.unshift('nothing decided');
  return { verdict, counts, line: parts.join('; ') };
}
