import { describe, expect, it } from 'vitest';
import { checkAll, decideVerdict, type CheckResult } from '../../src/checker/index.ts';
import { EXIT } from '../../src/common/index.ts';
import {
  checkFleet,
  chunkHistory,
  judgeThresholds,
  parseThreshold,
  summarize,
  verdictOf,
  type Threshold,
} from '../../src/fleet/index.ts';
import { HB } from '../checker/history-builder.ts';

const res = (checker: string, valid: CheckResult['valid'], checked: number, unknown: number) => {
  const v = decideVerdict({ violations: valid === false ? 1 : 0, checked, unknown });
  return { checker, checked, unknown, verdict: verdictOf({ verdict: v }) };
};

describe('fleet summary (issue 9: never "all guarantees hold" while something is undecided)', () => {
  it('says all hold only when every item of every checker is decided', () => {
    const s = summarize([res('a', true, 10, 0), res('b', true, 5, 0)], [], 1);
    expect(s.summary).toMatch(/^all guarantees hold, every item decided/);
    expect(s.exitCode).toBe(EXIT.ok);
  });

  it('undecided items make the run inconclusive (exit 3) and are counted', () => {
    const s = summarize([res('a', true, 10, 0), res('b', true, 15, 15), res('c', true, 20, 3)], [], 1);
    expect(s.summary).not.toMatch(/all guarantees hold/);
    expect(s.summary).toMatch(
      /inconclusive: no violation found, but b has 15 of 15 undecided, c has 3 of 20 undecided \(18 items\)/,
    );
    expect(s.exitCode).toBe(EXIT.inconclusive);
  });

  it('a checker with nothing to check says so; with nothing at all the run is inconclusive', () => {
    expect(summarize([res('a', true, 3, 0), res('w', true, 0, 0)], [], 1).summary).toMatch(/nothing to check for w/);
    expect(summarize([res('w', true, 0, 0)], [], 1).exitCode).toBe(EXIT.inconclusive);
  });

  it('violations exit 1 with the seed; a failed threshold exits 1 with ✗', () => {
    const v = summarize([res('a', false, 10, 0)], [], 42);
    expect(v.summary).toMatch(/GUARANTEE VIOLATED: a \(replay with --seed 42\)/);
    expect(v.exitCode).toBe(EXIT.violations);
    const t = judgeThresholds([parseThreshold('p99<500ms') as Threshold], { p99: 700 });
    const s = summarize([res('a', true, 10, 0)], t, 1);
    expect(s.exitCode).toBe(EXIT.violations);
    expect(s.summary).toMatch(/1 threshold\(s\) failed: p99<500ms/);
  });
});

describe('thresholds', () => {
  it('parses k6-style expressions with units and judges them', () => {
    expect(parseThreshold('p99<500ms')).toMatchObject({ metric: 'p99', op: '<', value: 500 });
    expect(parseThreshold('connect_p99 <= 2s')).toMatchObject({ metric: 'connect_p99', op: '<=', value: 2000 });
    expect(parseThreshold('errors==0')).toMatchObject({ metric: 'errors', op: '==', value: 0 });
    expect(parseThreshold('p98<1s')).toMatch(
      /unknown metric `p98` \(did you mean `p90`\?\)|unknown metric `p98` \(did you mean `p99`\?\)/,
    );
    expect(parseThreshold('errors<5ms')).toMatch(/is a count/);
    expect(parseThreshold('garbage')).toMatch(/not a threshold/);
    const [a, b, c] = judgeThresholds(
      ['p99<500ms', 'errors==0', 'p50<1ms'].map((x) => parseThreshold(x) as Threshold),
      { p99: 100, errors: 2 },
    );
    expect([a.ok, b.ok, c.ok]).toEqual([true, false, false]);
  });
});

describe('chunked checking equals one pass', () => {
  it('same verdicts, counts and violation keys on a fleet-shaped history', () => {
    const h = new HB().connect('hub', { clean: false, persistent: true }).subscribe('hub', 'f/+/t', 1);
    for (let d = 0; d < 9; d++) h.connect(`d${d}`, { clean: false, persistent: true });
    for (let k = 0; k < 4; k++) {
      for (let d = 0; d < 9; d++) {
        h.publish(`d${d}`, `d${d}:${k}`, `f/d${d}/t`, 1);
        if (!(d === 4 && k === 2)) h.recv('hub', `d${d}:${k}`, `f/d${d}/t`, 1);
      }
    }
    const names = ['qos1-at-least-once', 'ordered-topics', 'session-resume'] as const;
    const whole = checkAll(h.ops, [...names]);
    const chunked = checkFleet(h.ops, names, new Set(['hub']), {}, 2);
    expect(chunkHistory(h.ops, new Set(['hub']), 2)).toHaveLength(5);
    expect(chunked.map((r) => [r.checker, r.valid, r.checked, r.unknown])).toEqual(
      whole.map((r) => [r.checker, r.valid, r.checked, r.unknown]),
    );
    expect(chunked[0].valid).toBe(false);
    expect(chunked[0].violations?.map((v) => v.key)).toEqual(whole[0].violations?.map((v) => v.key));
    expect(chunked[0].witness?.map((o) => o.index)).toEqual(whole[0].witness?.map((o) => o.index));
  });
});
