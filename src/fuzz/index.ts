/**
 * Public surface of the protocol fuzzer. Pure parts (generators, mutators, oracle, shrinker,
 * rendering) are sans-IO and seeded; run-case.ts and runner.ts do the network I/O.
 */
export { buildCase, PINGREQ, type FuzzCase, type CaseFamily, type CaseOptions } from './cases.ts';
export { mutateGrammar, appendProperty, type Mutated } from './mutate-grammar.ts';
export { mutateBytes } from './mutate-bytes.ts';
export {
  expectationOf,
  judge,
  settled,
  missing,
  type Expectation,
  type Observation,
  type Judgement,
  type FindingKind,
  unknownLevelAnswer,
  UNKNOWN_LEVEL_ALLOWED,
} from './oracle.ts';
export { shrinkFrames, shrinkAsync, type ShrinkResult } from './shrink.ts';
export { gherkin, hexLines, toHex } from './render.ts';
export { runFrames, controlCheck, type Target, type CaseResult, type ControlResult } from './run-case.ts';
export { runFuzz, type FuzzOptions, type FuzzResult, type FuzzFinding, type FuzzProgress } from './runner.ts';
export { parseTarget, parseDuration } from './target.ts';
export type { FuzzLevel } from './grammar.ts';
export { runCrashSoak, type CrashSoakOptions, type CrashSoakResult } from './crash-soak.ts';
