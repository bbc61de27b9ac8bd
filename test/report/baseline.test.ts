import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { failuresOf, loadBaseline, recordBaseline, renderBaseline, writeBaseline } from '../../src/report/baseline.ts';
import { formatRatchet, judgeRun, ratchet, renderJudgedJunit } from '../../src/report/baseline-ratchet.ts';

const o = (name: string, kind: string, detail?: string) => ({
  name,
  where: `features/y.feature:${name.length}`,
  version: '5.0' as const,
  statementIds: ['MQTT-9'],
  kind,
  detail,
});
const e = (scenario: string, extra = {}) => ({
  feature: 'features/y.feature',
  scenario,
  version: '5.0' as const,
  statements: ['MQTT-9'],
  evidence: 'was <bad>',
  ...extra,
});

describe('baseline (ratchet) files', () => {
  it('keys failures by feature, scenario and version (not line); only failed counts', () => {
    const actual = failuresOf([o('a', 'failed', 'boom'), o('b', 'passed'), o('c', 'inconclusive', 'unreachable')]);
    expect(actual).toEqual([
      { feature: 'features/y.feature', scenario: 'a', version: '5.0', statements: ['MQTT-9'], evidence: 'boom' },
    ]);
    expect(recordBaseline([{ ...actual[0]!, note: 'checked' }], actual)[0]!.note).toBe('checked');
  });
  it('judges every scenario: a new failure breaks it, a fixed one is reported, inconclusive is undecided', () => {
    const judged = judgeRun(
      [e('exp-fails'), e('exp-passes'), e('exp-inc'), e('gone')],
      [
        o('exp-fails', 'failed', 'x'),
        o('exp-passes', 'passed'),
        o('exp-inc', 'inconclusive'),
        o('new', 'failed', 'broke & "died"'),
        o('fine', 'not-applicable', 'no retain'),
      ],
    );
    const by = Object.fromEntries(judged.map((j) => [j.scenario, j]));
    expect(Object.keys(by).sort()).toEqual(['exp-fails', 'exp-inc', 'exp-passes', 'fine', 'gone', 'new']);
    expect(judged.filter((j) => !j.ok).map((j) => j.scenario)).toEqual(['new']);
    expect([
      by['exp-passes']!.judgement,
      by.gone!.judgement,
      by['exp-inc']!.judgement,
      by['exp-fails']!.judgement,
    ]).toEqual(['fixed', 'fixed', 'undecided', 'reproduced']);
    expect(by.new!.message).toMatch(/NEW FAILURE[^]*broke/);
    const x = renderJudgedJunit('mosquitto', judged);
    expect(x.match(/<testcase /g)).toHaveLength(6);
    expect(x.match(/<failure /g)).toHaveLength(1);
    expect(x).toContain('tests="6" failures="1"');
    expect(x).toContain('broke &amp; &quot;died&quot;');
    expect(x).not.toContain('<bad>');
  });
  it('exits 1 naming a new failure, shrinks on --update, records with notes kept, and refuses to judge an inconclusive run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mh-base-'));
    const file = join(dir, 'b.yaml');
    writeBaseline(file, {
      broker: 'm',
      failures: [e('exp-fails', { note: 'broker bug' }), e('exp-passes', { note: 'was a bug' })],
    });
    const run = {
      source: 'r',
      label: 'm',
      scenarios: [o('exp-fails', 'failed'), o('exp-passes', 'passed'), o('new', 'failed', 'boom')],
    };
    const r1 = ratchet(file, run);
    expect(r1.exit).toBe(1);
    expect(formatRatchet(r1)).toMatch(
      /NEW FAILURE +features\/y\.feature \| new \| MQTT 5\.0[^]*FIXED +features\/y\.feature \| exp-passes[^]*BROKEN/,
    );
    expect(loadBaseline(file).failures).toHaveLength(2); // judging alone never writes
    const r2 = ratchet(file, { ...run, scenarios: run.scenarios.slice(0, 2) }, { update: true });
    expect(r2.exit).toBe(0);
    expect(loadBaseline(file).failures.map((f) => [f.scenario, f.note])).toEqual([['exp-fails', 'broker bug']]);
    ratchet(file, run, { record: true });
    expect(loadBaseline(file).failures.map((f) => [f.scenario, f.note])).toEqual([
      ['exp-fails', 'broker bug'],
      ['new', undefined],
    ]);
    const before = readFileSync(file, 'utf8');
    const r3 = ratchet(
      file,
      { ...run, outcome: 'inconclusive', inconclusive: { cause: 'unreachable' } },
      { update: true },
    );
    expect([r3.exit, readFileSync(file, 'utf8')]).toEqual([3, before]);
    const allInc = ratchet(
      file,
      { ...run, scenarios: run.scenarios.map((s) => ({ ...s, kind: 'inconclusive' })) },
      { update: true },
    );
    expect([allInc.exit, readFileSync(file, 'utf8')]).toEqual([3, before]);
    // Some scenarios inconclusive (e.g. the target went down late): the rest is judged, the new failure still breaks it.
    const some = ratchet(file, {
      ...run,
      outcome: 'inconclusive',
      inconclusive: { cause: 'target-down' },
      scenarios: [...run.scenarios, o('newer', 'failed', 'x'), o('late', 'inconclusive', 'target down')],
    });
    expect([some.exit, some.inconclusiveScenarios.map((j) => j.scenario)]).toEqual([1, ['late']]);
    expect(renderJudgedJunit('m', some.judged)).toMatch(
      /name="late \(MQTT 5\.0\)"[^>]*>\s*<skipped message="inconclusive: target down"/,
    );
  });
  it('names every schema problem of a file in one error, with a close match for a misspelt key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mh-base-'));
    const good = join(dir, 'good.yaml');
    writeFileSync(good, renderBaseline({ broker: 'm', failures: failuresOf([o('a', 'failed', 'boom')]) }));
    expect(loadBaseline(good).failures[0]!.scenario).toBe('a');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'broker: m\nfailures:\n  - feature: x\n    nte: typo\n');
    expect(() => loadBaseline(bad)).toThrow(/bad\.yaml: .*failures\.0.*"nte" \(did you mean `note`\?\)/);
    expect(() => loadBaseline(bad)).toThrow(/failures\.0\.scenario/);
  });
});
