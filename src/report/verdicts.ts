import { REGISTRY } from '../spec/index.ts';
import type { Level, SpecVersion, Statement } from '../spec/index.ts';

/**
 * What one scenario run says about the statements it is tagged with.
 * - passed: every step held;
 * - failed: a step failed (evidence says how) and the scenario failed in cucumber;
 * - advisory-failed: an advisory scenario (@advisory, or only SHOULD / MAY statements) failed;
 *   cucumber saw it as skipped; it is a finding, not a statement failure (unless the
 *   statement itself is SHOULD / MAY, whose verdict is then 'failed');
 * - not-applicable: the target lacks a capability the scenario needs (reason says which);
 * - error: the harness could not run it (undefined step, bad tags...): no verdict.
 */
export type OutcomeKind = 'passed' | 'failed' | 'advisory-failed' | 'not-applicable' | 'error' | 'skipped';

export interface ScenarioOutcome {
  name: string;
  /** "features/x.feature:12" */
  where: string;
  version?: SpecVersion;
  statementIds: string[];
  kind: OutcomeKind;
  /** Failure evidence or not-applicable reason / harness error text. */
  detail?: string;
  durationMs?: number;
  /**
   * A @negative-control scenario: it ran against the harness's own broken broker, so it says
   * nothing about the target's statements (it still has to pass).
   */
  negativeControl?: boolean;
}

export type VerdictKind = 'passed' | 'failed' | 'not-applicable' | 'untested';

export interface StatementVerdict {
  version: SpecVersion;
  id: string;
  level: Level;
  section: string;
  summary: string;
  testability: Statement['testability']['kind'];
  verdict: VerdictKind;
  scenarios: Array<{ name: string; where: string; outcome: OutcomeKind }>;
  /** Failure evidence (failed) or reasons (not-applicable). */
  details?: string[];
}

export interface VersionSummary {
  version: SpecVersion;
  statements: number;
  networkTestable: number;
  passed: number;
  failed: number;
  /** Failed statements whose level is MUST or MUST NOT. */
  failedMust: number;
  notApplicable: number;
  untested: number;
  /** Untested statements a network test could check (the rest bind clients or server internals). */
  untestedNetwork: number;
}

/**
 * One verdict per registry statement: failed beats passed beats not-applicable beats untested.
 * Negative-control outcomes are no evidence about the target and are left out.
 */
export function computeVerdicts(outcomes: readonly ScenarioOutcome[], registry: readonly Statement[] = REGISTRY): StatementVerdict[] {
  const byKey = new Map<string, ScenarioOutcome[]>();
  for (const o of outcomes) {
    if (!o.version || o.negativeControl) continue;
    for (const id of o.statementIds) {
      const k = `${o.version}|${id}`;
      const list = byKey.get(k) ?? [];
      list.push(o);
      byKey.set(k, list);
    }
  }
  return registry.map((s): StatementVerdict => {
    const os = byKey.get(`${s.version}|${s.id}`) ?? [];
    const has = (k: OutcomeKind): boolean => os.some((o) => o.kind === k);
    const advisoryLevel = !isMust(s.level);
    const failed = has('failed') || (advisoryLevel && has('advisory-failed'));
    const verdict: VerdictKind = failed ? 'failed' : has('passed') ? 'passed' : has('not-applicable') ? 'not-applicable' : 'untested';
    const v: StatementVerdict = {
      version: s.version,
      id: s.id,
      level: s.level,
      section: s.section,
      summary: s.summary,
      testability: s.testability.kind,
      verdict,
      scenarios: os.map((o) => ({ name: o.name, where: o.where, outcome: o.kind })),
    };
    const want: OutcomeKind[] = verdict === 'failed' ? ['failed', 'advisory-failed'] : verdict === 'not-applicable' ? ['not-applicable'] : [];
    const details = os.filter((o) => want.includes(o.kind) && o.detail).map((o) => `${o.where} ${o.name}: ${o.detail}`);
    if (details.length > 0) v.details = details;
    return v;
  });
}

export const isMust = (l: Level): boolean => l === 'MUST' || l === 'MUST NOT';

export function summarize(verdicts: readonly StatementVerdict[]): VersionSummary[] {
  return (['3.1.1', '5.0'] as const).map((version) => {
    const vs = verdicts.filter((v) => v.version === version);
    const count = (k: VerdictKind): number => vs.filter((v) => v.verdict === k).length;
    return {
      version,
      statements: vs.length,
      networkTestable: vs.filter((v) => v.testability === 'network').length,
      passed: count('passed'),
      failed: count('failed'),
      failedMust: vs.filter((v) => v.verdict === 'failed' && isMust(v.level)).length,
      notApplicable: count('not-applicable'),
      untested: count('untested'),
      untestedNetwork: vs.filter((v) => v.verdict === 'untested' && v.testability === 'network').length,
    };
  });
}
