import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkAll, formatResult, toJsonLines, fromJsonLines } from '../../src/checker/index.ts';
import { simulate, type Bug, type Step } from './ideal-broker.ts';

const q = fc.constantFrom<0 | 1 | 2>(0, 1, 2);
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      k: fc.constant('pub' as const),
      who: fc.nat(7),
      topic: fc.nat(2),
      qos: q,
      retain: fc.boolean(),
      outcome: fc.constantFrom('ok' as const, 'ok' as const, 'info-lost' as const, 'info-arrived' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('drop' as const), who: fc.nat(7), graceful: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('connect' as const), who: fc.nat(7) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('sub' as const),
      who: fc.nat(7),
      topic: fc.oneof(fc.nat(2), fc.constant('#' as const), fc.constant('will' as const)),
      qos: q,
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('dupResend' as const), who: fc.nat(7) }) },
);

describe('checkers on histories of a correct broker', () => {
  it('never report a violation (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 80 }), (steps) => {
        const h = simulate(steps);
        const results = checkAll(h.ops, undefined, { endTime: h.clock.now() });
        const bad = results.filter((r) => r.valid === false);
        if (bad.length > 0) throw new Error(bad.map(formatResult).join('\n'));
        return true;
      }),
      { numRuns: 300, seed: 20261122 },
    );
  });

  it('never report a violation when every client then leaves with a normal DISCONNECT (as fleet run ends)', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 80 }), (steps) => {
        const h = simulate(steps);
        for (let i = 0; i < 4; i++) h.disconnect(`c${i}`);
        const bad = checkAll(h.ops, undefined, { endTime: h.clock.now() }).filter((r) => r.verdict === 'invalid');
        if (bad.length > 0) throw new Error(bad.map(formatResult).join('\n'));
        return true;
      }),
      { numRuns: 200, seed: 20261207 },
    );
  });

  it('never report a violation when receipts are deleted from the file: a gap proves nothing', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 80 }),
        fc.array(fc.boolean(), { minLength: 400, maxLength: 400 }),
        (steps, keep) => {
          const h = simulate(steps);
          let k = 0;
          const edited = h.ops.filter((o) => o.f !== 'receive' || keep[k++ % keep.length]);
          const bad = checkAll(edited, undefined, { endTime: h.clock.now() }).filter((r) => r.verdict === 'invalid');
          if (bad.length > 0) throw new Error(bad.map(formatResult).join('\n'));
          return true;
        },
      ),
      { numRuns: 200, seed: 20261208 },
    );
  });

  it('decide most of what they check on such histories', () => {
    const steps: Step[] = [];
    for (let i = 0; i < 4; i++) steps.push({ k: 'sub', who: i, topic: '#', qos: 1 });
    for (let i = 0; i < 40; i++) steps.push({ k: 'pub', who: i, topic: i, qos: 1, retain: false, outcome: 'ok' });
    const h = simulate(steps);
    const [r] = checkAll(h.ops, ['qos1-at-least-once'], { endTime: h.clock.now() });
    expect(r.valid).toBe(true);
    expect(r.checked).toBe(40 * 4);
    expect(r.unknown).toBe(0);
  });

  it('round-trips histories through JSON lines', () => {
    const h = simulate([
      { k: 'sub', who: 1, topic: '#', qos: 2 },
      { k: 'pub', who: 0, topic: 0, qos: 2, retain: true, outcome: 'ok' },
    ]);
    const text = toJsonLines(h.ops);
    expect(fromJsonLines(text)).toEqual(h.ops);
    expect(() => fromJsonLines('{"index":1}\n')).toThrow(/line 1: not an op/);
    expect(() => fromJsonLines('x')).toThrow(/line 1: not JSON/);
  });
});

describe('checkers on histories of a buggy broker (they must be able to fail)', () => {
  const script: Step[] = [
    { k: 'sub', who: 1, topic: '#', qos: 2 },
    { k: 'sub', who: 3, topic: 0, qos: 1 },
    { k: 'sub', who: 2, topic: 'will', qos: 1 },
    ...Array.from({ length: 12 }, (_, i): Step => ({
      k: 'pub',
      who: 0,
      topic: 0,
      qos: i % 2 === 0 ? 1 : 2,
      retain: true,
      outcome: 'ok',
    })),
    ...Array.from({ length: 6 }, (): Step => ({ k: 'pub', who: 0, topic: 1, qos: 1, retain: false, outcome: 'ok' })),
    { k: 'sub', who: 2, topic: 0, qos: 1 },
    { k: 'drop', who: 1, graceful: false },
    { k: 'pub', who: 0, topic: 0, qos: 1, retain: false, outcome: 'ok' },
    { k: 'connect', who: 1 },
    { k: 'drop', who: 0, graceful: false },
  ];
  const cases: [Bug, string][] = [
    ['lose-qos1', 'qos1-at-least-once'],
    ['dup-qos2', 'qos2-exactly-once'],
    ['stale-retained', 'retained-last-value'],
    ['reorder', 'ordered-topics'],
    ['no-will', 'last-will'],
    ['forget-session', 'session-resume'],
  ];
  it.each(cases)('%s is caught by %s', (bug, checker) => {
    const good = simulate(script);
    expect(
      checkAll(good.ops, undefined, { endTime: good.clock.now() })
        .filter((r) => r.valid === false)
        .map(formatResult),
    ).toEqual([]);
    const h = simulate(script, 4, bug);
    const r = checkAll(h.ops, [checker as never], { endTime: h.clock.now() })[0];
    expect(r.valid, formatResult(r)).toBe(false);
    expect(r.witness!.length).toBeGreaterThan(0);
  });
});
