/**
 * The five words a verdict may use, everywhere (cucumber summary, compliance.json, junit,
 * explore, fleet, reports). Each means one thing:
 * - passed: a step that checks the statement ran and held;
 * - failed: a step that checks the statement failed against the target;
 * - not-applicable: the target legally lacks what the check needs (the reason says which);
 * - advisory: a recommendation (SHOULD / MAY) was not followed, or a timing-sensitive check
 *   held only on a re-check; never a failure;
 * - inconclusive: nothing could be concluded, with a cause; never evidence against the target.
 * Statements that no scenario checked are `untested` in reports.
 */
export const OUTCOMES = ['passed', 'failed', 'not-applicable', 'advisory', 'inconclusive'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Why a scenario, a statement or a whole run is inconclusive. */
export type InconclusiveCause =
  /** The target could not be reached (refused, no route, DNS, timeout before any answer). */
  | 'unreachable'
  /** The TLS handshake failed (certificate, protocol). */
  | 'tls'
  /** The target refused the harness's credentials. */
  | 'auth-refused'
  /** The harness itself erred (undefined step, bad tags, a bug, a bad setting). */
  | 'harness-error'
  /** The target stopped answering during the run. */
  | 'target-down'
  /** A step before the checking step failed (a precondition), so the check was never reached. */
  | 'precondition'
  /** The check did not decide within its bounds (e.g. a checker with undecided items). */
  | 'undecided';
