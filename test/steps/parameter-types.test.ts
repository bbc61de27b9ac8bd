import { describe, expect, it } from 'vitest';
import {
  CucumberExpression,
  ParameterType,
  ParameterTypeRegistry,
  RegularExpression,
} from '@cucumber/cucumber-expressions';
import { CLIENT, DURATION, PARAMETER_TYPES, WITHIN, parseDuration } from '../../steps/support/parameter-types.ts';
import { re } from '../../steps/support/parse.ts';

/** A registry with the suite's parameter types, as cucumber builds it. */
function registry(): ParameterTypeRegistry {
  const r = new ParameterTypeRegistry();
  for (const t of PARAMETER_TYPES)
    r.defineParameterType(
      new ParameterType(t.name, t.regexp, null, t.transformer as (...a: string[]) => unknown, false, false),
    );
  return r;
}
/** A World stand-in that scales durations by 3. */
const world = { ms: (n: number): number => n * 3 };
const args = (pattern: string, text: string): unknown[] =>
  new RegularExpression(re(pattern), registry()).match(text)!.map((a) => a.getValue(world));

describe('step parameter types: regular-expression steps get typed values', () => {
  it('a client name arrives without quotes, an optional duration scaled by the World', () => {
    const p = `the connection of ${CLIENT} is closed${WITHIN}`;
    expect(args(p, 'the connection of "pub" is closed within 2 s')).toEqual(['pub', { writtenMs: 2000, ms: 6000 }]);
    expect(args(p, 'the connection of "pub" is closed')).toEqual(['pub', undefined]);
  });

  it('reads every way a duration is written', () => {
    expect(args(`${DURATION} pass(?:es)?`, '500 ms pass')).toEqual([{ writtenMs: 500, ms: 1500 }]);
    expect(args(`${DURATION} pass(?:es)?`, '1.5 seconds pass')).toEqual([{ writtenMs: 1500, ms: 4500 }]);
    expect(parseDuration('2s')).toBe(2000);
    expect(parseDuration('1 second')).toBe(1000);
    expect(parseDuration('250 milliseconds')).toBe(250);
    expect(() => parseDuration('2 minutes')).toThrow(/not a duration/);
  });

  it('leaves other quoted groups (topics, payloads) as plain text', () => {
    expect(args(`${CLIENT} publishes "([^"]*)" to "([^"]+)"`, '"A" publishes "x" to "t/1"')).toEqual(['A', 'x', 't/1']);
  });

  it('works in cucumber expressions as {client} and {duration}', () => {
    const e = new CucumberExpression('{client} waits {duration}', registry());
    expect(e.match('"B" waits 3 s')!.map((a) => a.getValue(world))).toEqual(['B', { writtenMs: 3000, ms: 9000 }]);
  });
});
