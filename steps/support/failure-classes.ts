import { ExpectationError } from '../../src/client/index.ts';
import type { InconclusiveCause, Outcome } from '../../src/common/index.ts';
import { findStatement, type Statement, type StatementRef } from '../../src/spec/index.ts';

/**
 * A packet from the broker broke the codec's strict rules: a failed check of the statement it
 * breaks, whatever step was running.
 */
export class ViolationError extends ExpectationError {
  constructor(
    message: string,
    readonly statements: readonly Statement[],
  ) {
    super(message);
    this.name = 'ExpectationError';
  }
}

/**
 * A check whose failure the spec lets a broker off: a finding (advisory), never a failure. E.g.
 * a 5.0 broker that did not detect a malformed packet at all (4.13.1 leaves the rigor of its
 * checks to the implementation; MQTT-4.13.1-1 binds a server that detects one).
 */
export class AdvisoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdvisoryError';
  }
}

/** The checker results a guarantee check failed with (src/fleet's CheckFailure), if this is one. */
interface CheckerVerdict {
  verdict: string;
  statements?: StatementRef[];
  violations?: Array<{ statements: StatementRef[] }>;
}
function checkerVerdicts(err: Error): CheckerVerdict[] | undefined {
  const results = (err as { results?: unknown }).results;
  return err.name === 'CheckFailure' && Array.isArray(results) ? (results as CheckerVerdict[]) : undefined;
}

/** How a step's error counts. */
export interface Classified {
  outcome: Exclude<Outcome, 'passed' | 'not-applicable'>;
  cause?: InconclusiveCause;
  statements: readonly Statement[];
}

/** What the classifier needs to know about the scenario and the step. */
export interface StepContext {
  /** The statements the running step checks (empty: a precondition or an action). */
  stepStatements: readonly Statement[];
  /** Whether a failed check of these statements is advisory (recommendations, @advisory). */
  advisoryFor(statements: readonly Statement[]): boolean;
  /** Asks whether the target still answers (a fresh CONNECT gets a CONNACK). */
  targetAlive(): Promise<boolean>;
}

/**
 * Sorts a step's error into failed / advisory / inconclusive:
 * - a strict-decoder violation fails the statement it breaks;
 * - an unmet protocol expectation (ExpectationError) in a checking step fails that step's
 *   statements; in any other step (a precondition) it is inconclusive; either way, when the
 *   target no longer answers a fresh CONNECT, it is inconclusive (`target-down`);
 * - the target not reachable (TargetError) is inconclusive: `target-down` when it no longer
 *   answers at all, else `unreachable` (e.g. its WebSocket endpoint);
 * - anything else is the harness's own trouble: inconclusive, `harness-error`.
 */
export async function classifyFailure(err: Error, ctx: StepContext): Promise<Classified> {
  if (err instanceof AdvisoryError) return { outcome: 'advisory', statements: ctx.stepStatements };
  const verdicts = checkerVerdicts(err);
  if (verdicts) {
    // A guarantee checker (resilience scenarios) judged the history: a proven violation fails the
    // statements its first violation breaks; a history it could not decide is inconclusive.
    const bad = verdicts.find((r) => r.verdict === 'invalid');
    if (!bad) return { outcome: 'inconclusive', cause: 'undecided', statements: [] };
    const refs = bad.violations?.[0]?.statements ?? bad.statements ?? [];
    const st = refs.map((r) => findStatement(r.version, r.id)).filter((s): s is Statement => s !== undefined);
    const statements = st.length > 0 ? st : ctx.stepStatements;
    return { outcome: ctx.advisoryFor(statements) ? 'advisory' : 'failed', statements };
  }
  if (err instanceof ViolationError) {
    return { outcome: ctx.advisoryFor(err.statements) ? 'advisory' : 'failed', statements: err.statements };
  }
  if (err.name === 'ExpectationError') {
    // A broker that no longer answers at all has not failed the check: it went down.
    if (!(await ctx.targetAlive())) return { outcome: 'inconclusive', cause: 'target-down', statements: [] };
    const st = ctx.stepStatements;
    if (st.length > 0) return { outcome: ctx.advisoryFor(st) ? 'advisory' : 'failed', statements: st };
    return { outcome: 'inconclusive', cause: 'precondition', statements: [] };
  }
  if (err.name === 'TargetError') {
    return {
      outcome: 'inconclusive',
      cause: (await ctx.targetAlive()) ? 'unreachable' : 'target-down',
      statements: [],
    };
  }
  return { outcome: 'inconclusive', cause: 'harness-error', statements: [] };
}
