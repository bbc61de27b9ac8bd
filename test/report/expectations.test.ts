import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareFailures, failuresOf, formatDiff, judgeRun, loadExpectations, mergeNotes, renderExpectations, renderJudgedJunit } from '../../src/report/expectations.ts';

describe('mosquitto expectations', () => {
  const outcomes = [
    { name: 'a', where: 'features/x.feature:3', version: '5.0' as const, statementIds: ['MQTT-1'], kind: 'failed' as const, detail: 'boom', checks: [] },
    { name: 'b', where: 'features/x.feature:9', version: '3.1.1' as const, statementIds: ['MQTT-2'], kind: 'passed' as const, checks: [] },
  ];
  it('keys failures by feature, scenario and version (not line) and diffs them', () => {
    const actual = failuresOf(outcomes);
    expect(actual).toEqual([{ feature: 'features/x.feature', scenario: 'a', version: '5.0', statements: ['MQTT-1'], evidence: 'boom' }]);
    const expected = [{ feature: 'features/x.feature', scenario: 'b', version: '3.1.1' as const, statements: ['MQTT-2'], evidence: 'old' }];
    const d = compareFailures(expected, actual);
    expect(d.added.map((f) => f.scenario)).toEqual(['a']);
    expect(d.removed.map((f) => f.scenario)).toEqual(['b']);
    expect(formatDiff(d)).toMatch(/\+ NEW FAILURE +features\/x\.feature \| a \| MQTT 5\.0/);
    expect(compareFailures(actual, actual)).toMatchObject({ added: [], removed: [] });
    // A flaky expected failure that passed this time is not reported as gone, and survives an update.
    const flaky = [{ ...expected[0], flaky: true }];
    expect(compareFailures(flaky, []).removed).toEqual([]);
    expect(mergeNotes(flaky, actual).map((f) => f.scenario)).toEqual(['a', 'b']);
  });
  it('judges every scenario against the expectations and writes one JUnit testcase each', () => {
    const o = (name: string, kind: 'passed' | 'failed' | 'not-applicable', detail?: string) =>
      ({ name, where: `features/y.feature:${name.length}`, version: '5.0' as const, statementIds: ['MQTT-9'], kind, detail, checks: [] });
    const e = (scenario: string, extra = {}) => ({ feature: 'features/y.feature', scenario, version: '5.0' as const, statements: ['MQTT-9'], evidence: 'was <bad>', ...extra });
    const judged = judgeRun(
      [e('exp-fails'), e('exp-passes'), e('flaky', { flaky: true }), e('gone')],
      [o('exp-fails', 'failed', 'x'), o('exp-passes', 'passed'), o('flaky', 'passed'), o('new', 'failed', 'broke & "died"'), o('fine', 'not-applicable', 'no retain')],
    );
    const by = Object.fromEntries(judged.map((j) => [j.scenario, j]));
    expect(Object.keys(by).sort()).toEqual(['exp-fails', 'exp-passes', 'fine', 'flaky', 'gone', 'new']);
    expect([by['exp-fails'].ok, by.flaky.ok, by.fine.ok]).toEqual([true, true, true]);
    expect([by['exp-passes'].ok, by.new.ok, by.gone.ok]).toEqual([false, false, false]);
    expect(by.new.message).toMatch(/NEW FAILURE[^]*broke/);
    const x = renderJudgedJunit('mosquitto', judged);
    expect(x.match(/<testcase /g)).toHaveLength(6);
    expect(x.match(/<failure /g)).toHaveLength(3);
    expect(x).toContain('tests="6" failures="3"');
    expect(x).toContain('broke &amp; &quot;died&quot;');
    expect(x).not.toContain('<bad>');
  });
  it('round-trips the YAML file and names the file on schema errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mh-exp-'));
    const good = join(dir, 'good.yaml');
    writeFileSync(good, renderExpectations({ broker: 'm', failures: failuresOf(outcomes) }));
    expect(loadExpectations(good).failures[0].scenario).toBe('a');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'broker: m\nfailures:\n  - feature: x\n');
    expect(() => loadExpectations(bad)).toThrow(/bad\.yaml: failures\.0\.scenario/);
  });
});
