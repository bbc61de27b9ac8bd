/** Guarantee checkers over recorded histories (Jepsen style): pure, no I/O. */
export * from './history.ts';
export {
  buildModel,
  countMissingOps,
  topicMatches,
  type Model,
  type Pub,
  type Session,
  type Sub,
  type Conn,
  type Recv,
} from './model.ts';
export {
  runChecker,
  shrinkWitness,
  formatResult,
  decideVerdict,
  mergeUndecided,
  legacyValidity,
  verdictSummary,
  VERDICTS,
  type CheckResult,
  type CheckOptions,
  type CheckerSpec,
  type Findings,
  type ReportedViolation,
  type UndecidedReason,
  type Validity,
  type Verdict,
  type Violation,
} from './result.ts';
export { Tally } from './tally.ts';
export { summarizeVerdicts, verdictOutcome, type VerdictSummary } from './verdict.ts';
export {
  checkQos0NoDuplicates,
  checkQos1AtLeastOnce,
  checkQos2ExactlyOnce,
  qos0NoDuplicatesSpec,
  qos1AtLeastOnceSpec,
  qos2ExactlyOnceSpec,
  type DeliveryOptions,
} from './delivery.ts';
export { checkOrdering, orderingSpec } from './ordering.ts';
export { checkRetained, retainedSpec, type RetainedOptions } from './retained.ts';
export { checkWill, willSpec, type WillOptions } from './will.ts';
export { checkSession, sessionSpec } from './session.ts';
export { checkAll, CHECKERS, type CheckerName, type AllOptions } from './check-all.ts';
export { historyVersion, type HistoryVersion } from './history-version.ts';
export { cite, VIOLATION_CITES, type ViolationKind } from './citations.ts';
