import type { InconclusiveCause, Outcome } from '../common/outcome.ts';
import type { ScenarioStep, StatementCheck } from './verdicts.ts';

/**
 * Media types of the attachments the World writes for the report formatters to read.
 * Cucumber carries them from the workers to the formatters with the other messages.
 */
export const MEDIA_VERDICT = 'application/vnd.mqtt-harness.verdict+json';
export const MEDIA_CAPABILITIES = 'application/vnd.mqtt-harness.capabilities+json';
/** The World's account of a finished scenario (ScenarioRecord). */
export const MEDIA_SCENARIO = 'application/vnd.mqtt-harness.scenario+json';
/** Packet traces are plain text (readable in the HTML report) starting with this line. */
export const TRACE_HEADING = 'Packet trace';

export type VerdictAttachment =
  | { kind: 'not-applicable'; reason: string }
  /** A failure in a scenario whose statements are all SHOULD / MAY: reported as skipped to cucumber. */
  | { kind: 'advisory-failure'; evidence: string };

/**
 * What the World concluded about a scenario when it ended: its outcome, the step that decided
 * it and, per statement, what the checking steps found. Attached once, in the After hook.
 */
export interface ScenarioRecord {
  kind: Outcome;
  cause?: InconclusiveCause;
  step?: ScenarioStep;
  detail?: string;
  checks: StatementCheck[];
  /** A finding about the run as a whole (the target stopped answering). */
  runFinding?: string;
}

/** A finding that is not a statement verdict: a probe that made the broker close, the target going down, an explored deviation. */
export interface Finding {
  origin: 'probe' | 'run' | 'explored';
  message: string;
  version?: string;
  statementIds?: string[];
}
