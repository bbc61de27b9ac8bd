/**
 * Virtual device fleet.
 * - Lean fleets at scale (`fleet run`): many small device records per process on the codec and
 *   a shared timer wheel, link emulation in process (engine/), workers and shards, a live view
 *   (live/), merged HDR histograms, thresholds, checkers and fleet.html (results/).
 * - The resilience harness for scenarios: full Device objects, each behind its own
 *   fault-injecting proxy, judged by the guarantee checkers.
 */
export { Device, type DeviceOptions } from './device.ts';
export { DeviceLink, type LinkSettings } from './device-link.ts';
export { connectPlan, type ConnectPlan } from './connect-plan.ts';
export { Outbound, publishOf, type Flight, type OutMessage } from './outbound.ts';
export { ResilienceHarness } from './resilience-harness.ts';
export { CheckFailure, unsupportedTarget, type HarnessOptions } from './resilience-checks.ts';
export {
  fleetSchema,
  parseFleetScenario,
  loadFleetScenario,
  FleetScenarioError,
  fleetDir,
  BEHAVIOURS,
  type FleetScenario,
} from './fleet-scenario.ts';
export { configIssues, formatIssues, type ConfigIssue } from './config-errors.ts';
export { runFleetShard, judgeParts, findParts, FleetConfigError, type FleetRunOptions } from './fleet-run.ts';
export { UnreachableError, probeBroker, plan as planCapacity, openFileLimit } from './engine/preflight.ts';
export {
  parseThreshold,
  judgeThresholds,
  formatThreshold,
  type Threshold,
  type ThresholdResult,
} from './results/thresholds.ts';
export { checkFleet, chunkHistory } from './results/check-chunked.ts';
export { mergeAndJudge, summarize, verdictOf, type FleetResult, type GuaranteeVerdict } from './results/merge.ts';
export { TimerWheel } from './engine/timer-wheel.ts';
export { compileLink, deliveryTime, type LinkSpec } from './engine/link-spec.ts';
export { sliceIndices, publishTimes, linkOf, type RunSettings } from './engine/plan.ts';
