/**
 * The fuzz oracle (pure): expectation.ts says what a broker must do with a case's frames,
 * judge.ts whether what came back is that, connack-forms.ts which answers a CONNECT of unknown
 * version may get.
 */
export { expectationOf, type Expectation, type ExpectedAnswer } from './expectation.ts';
export {
  DISCONNECT_CODES,
  describeStatements,
  judge,
  missing,
  RAW_CAP,
  settled,
  type FindingKind,
  type Judgement,
  type Observation,
} from './judge.ts';
export { UNKNOWN_LEVEL_ALLOWED, unknownLevelAnswer } from './connack-forms.ts';
