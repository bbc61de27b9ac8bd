/** The model-based explorer (I/O): programs, runner, shrinking, Gherkin output. */
export {
  explore,
  formatFinding,
  type ExploreOptions,
  type ExploreResult,
  type ExploreFinding,
  type ExploreStats,
} from './explorer.ts';
export { programArb, describeStep, type Program, type Step, type ExploreVersion } from './program.ts';
export { runProgram } from './runner.ts';
export type { RunTarget, RunResult } from './run-types.ts';
export { toGherkin } from './gherkin.ts';
