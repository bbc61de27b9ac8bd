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
export { runProgram, type RunTarget, type RunResult } from './runner.ts';
export { toGherkin } from './gherkin.ts';
