import { REGISTRY } from '../spec/index.ts';
import type { Level, SpecVersion, Statement } from '../spec/index.ts';
import type { InconclusiveCause, Outcome } from '../common/outcome.ts';

/**
 * What one scenario run says, in the five words of src/common/outcome.ts:
 * - passed: every step held;
 * - failed: a step that checks a MUST statement failed against the target;
 * - advisory: a step checking a recommendation failed (an @advisory scenario, or SHOULD / MAY
 *   statements), or a timing-sensitive check held only when re-checked at a larger time scale;
 * - not-applicable: the target legally lacks what the scenario needs (the reason says which);
 * - inconclusive: nothing could be concluded (a precondition step failed, the target was
 *   unreachable or went down, the harness erred), with a cause.
 */
export type OutcomeKind = Outcome;

/** What one scenario concluded about one statement, and which step decided it. */
export interface StatementCheck {
  version: SpecVersion;
  id: string;
  outcome: Outcome;
  /** The step text that decided it ("Then "A" receives PUBACK packet id 5"), with its line. */
  step?: string;
}

/** A step of a scenario, as reports show it. */
export interface ScenarioStep {
  text: string;
  line?: number;
  /** The statements the step checks (none for a precondition or an action). */
  statements: string[];
}

export interface ScenarioOutcome {
  name: string;
  /** "features/x.feature:12" */
  where: string;
  version?: SpecVersion;
  /** Every statement the scenario is tagged with. */
  statementIds: string[];
  kind: OutcomeKind;
  /** Why it is inconclusive. */
  cause?: InconclusiveCause;
  /** The step that decided a non-passing outcome. */
  step?: ScenarioStep;
  /** Failure evidence, not-applicable reason or what went wrong. */
  detail?: string;
  /** The statements this scenario concluded something about, step by step. */
  checks: StatementCheck[];
  durationMs?: number;
  /** A timer-based check that failed once and held when re-checked at three times the time scale. */
  timingSensitive?: boolean;
  /**
   * A @negative-control scenario: it ran against the harness's own broken broker, so it says
   * nothing about the target's statements (it still has to pass).
   */
  negativeControl?: boolean;
}

export type VerdictKind = Outcome | 'untested';

export interface StatementVerdict {
  version: SpecVersion;
  id: string;
  level: Level;
  section: string;
  summary: string;
  testability: Statement['testability']['kind'];
  verdict: VerdictKind;
  /** The scenario and step that decided the verdict, with its evidence. */
  deciding?: { scenario: string; where: string; step?: string; evidence?: string };
  scenarios: Array<{ name: string; where: string; outcome: OutcomeKind }>;
  /** Evidence of every scenario that gave the deciding outcome. */
  details?: string[];
}

export interface VersionSummary {
  version: SpecVersion;
  statements: number;
  networkTestable: number;
  passed: number;
  /** Failed statements (only MUST / MUST NOT statements can fail). */
  failed: number;
  /** Same as failed; kept for readers of the first report format. */
  failedMust: number;
  notApplicable: number;
  advisory: number;
  inconclusive: number;
  untested: number;
  /** Untested statements a network test could check (the rest bind clients or server internals). */
  untestedNetwork: number;
}

export const isMust = (l: Level): boolean => l === 'MUST' || l === 'MUST NOT';

/** Which outcome decides a statement when scenarios disagree: a failure is never outvoted. */
const RANK: Record<Outcome, number> = { failed: 5, advisory: 4, passed: 3, inconclusive: 2, 'not-applicable': 1 };

/** The stronger of two outcomes by RANK. */
export const stronger = (a: Outcome | undefined, b: Outcome): Outcome => (a === undefined || RANK[b] > RANK[a] ? b : a);

/**
 * One verdict per registry statement, from the statement checks of every scenario: a statement
 * fails only when a step that checks it failed. A recommendation (SHOULD / MAY) never fails: a
 * failed check of one is advisory. Negative-control outcomes are no evidence about the target.
 */
export function computeVerdicts(
  outcomes: readonly ScenarioOutcome[],
  registry: readonly Statement[] = REGISTRY,
): StatementVerdict[] {
  const byKey = new Map<string, Array<{ o: ScenarioOutcome; c: StatementCheck }>>();
  for (const o of outcomes) {
    if (o.negativeControl) continue;
    for (const c of o.checks) {
      const k = `${c.version}|${c.id}`;
      const list = byKey.get(k) ?? [];
      list.push({ o, c });
      byKey.set(k, list);
    }
  }
  return registry.map((s): StatementVerdict => {
    const all = byKey.get(`${s.version}|${s.id}`) ?? [];
    const outcomeOf = (c: StatementCheck): Outcome =>
      c.outcome === 'failed' && !isMust(s.level) ? 'advisory' : c.outcome;
    let verdict: VerdictKind = 'untested';
    for (const { c } of all) verdict = stronger(verdict === 'untested' ? undefined : verdict, outcomeOf(c));
    const v: StatementVerdict = {
      version: s.version,
      id: s.id,
      level: s.level,
      section: s.section,
      summary: s.summary,
      testability: s.testability.kind,
      verdict,
      scenarios: all.map(({ o, c }) => ({ name: o.name, where: o.where, outcome: outcomeOf(c) })),
    };
    const deciders = all.filter(({ c }) => outcomeOf(c) === verdict);
    if (deciders.length > 0 && verdict !== 'untested') {
      const { o, c } = deciders[0];
      v.deciding = {
        scenario: o.name,
        where: o.where,
        ...(c.step ? { step: c.step } : {}),
        ...(o.detail && verdict !== 'passed' ? { evidence: o.detail } : {}),
      };
      if (verdict !== 'passed') {
        const details = deciders
          .filter(({ o: d }) => d.detail)
          .map(({ o: d, c: dc }) => `${d.where} ${d.name}${dc.step ? ` [${dc.step}]` : ''}: ${d.detail}`);
        if (details.length > 0) v.details = details;
      }
    }
    return v;
  });
}

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
      failedMust: count('failed'),
      notApplicable: count('not-applicable'),
      advisory: count('advisory'),
      inconclusive: count('inconclusive'),
      untested: count('untested'),
      untestedNetwork: vs.filter((v) => v.verdict === 'untested' && v.testability === 'network').length,
    };
  });
}
