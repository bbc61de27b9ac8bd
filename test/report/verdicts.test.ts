import { describe, expect, it } from 'vitest';
import {
  buildComplianceReport,
  computeVerdicts,
  summarize,
  type ScenarioOutcome,
  type StatementCheck,
} from '../../src/report/index.ts';
import { chk, out, st } from './outcome-builders.ts';

describe('computeVerdicts: a statement fails only when a step that checks it failed', () => {
  const reg = [st('MQTT-1'), st('MQTT-2'), st('MQTT-3'), st('MQTT-4'), st('MQTT-5', 'SHOULD'), st('MQTT-6')];
  it('failed beats advisory beats passed beats inconclusive beats not-applicable beats untested', () => {
    const v = computeVerdicts(
      [
        out('passed', [chk('MQTT-1', 'passed'), chk('MQTT-2', 'passed')]),
        out('failed', [chk('MQTT-2', 'failed', 'Then "A" receives PUBACK'), chk('MQTT-4', 'inconclusive')], 'boom'),
        out('not-applicable', [chk('MQTT-3', 'not-applicable'), chk('MQTT-4', 'not-applicable')], 'no retain'),
      ],
      reg,
    );
    expect(v.map((x) => x.verdict)).toEqual([
      'passed',
      'failed',
      'not-applicable',
      'inconclusive',
      'untested',
      'untested',
    ]);
    expect(v[1].deciding).toMatchObject({ where: 'f.feature:2', step: 'Then "A" receives PUBACK', evidence: 'boom' });
    expect(v[1].details).toEqual(['f.feature:2 s-failed [Then "A" receives PUBACK]: boom']);
    expect(v[2].details).toEqual(['f.feature:2 s-not-applicable [Then x]: no retain']);
  });
  it('a scenario that failed elsewhere leaves its other statements inconclusive, never failed', () => {
    const v = computeVerdicts([out('failed', [chk('MQTT-1', 'failed'), chk('MQTT-6', 'inconclusive')])], reg);
    expect(v[0].verdict).toBe('failed');
    expect(v[5].verdict).toBe('inconclusive');
  });
  it('ignores negative-control outcomes: they are no evidence about the target', () => {
    const control = (kind: ScenarioOutcome['kind'], checks: StatementCheck[]): ScenarioOutcome => ({
      ...out(kind, checks),
      negativeControl: true,
    });
    const v = computeVerdicts(
      [
        control('passed', [chk('MQTT-1', 'passed')]),
        control('failed', [chk('MQTT-2', 'failed')]),
        out('passed', [chk('MQTT-2', 'passed')]),
      ],
      reg,
    );
    expect(v[0]).toMatchObject({ verdict: 'untested', scenarios: [] });
    expect(v[1]).toMatchObject({ verdict: 'passed' });
  });
  it('a failed check of a SHOULD statement is advisory; an advisory check does not fail a MUST', () => {
    const v = computeVerdicts(
      [out('failed', [chk('MQTT-5', 'failed')]), out('advisory', [chk('MQTT-4', 'advisory')])],
      reg,
    );
    expect(v[4].verdict).toBe('advisory');
    expect(v[3].verdict).toBe('advisory');
    const sum = summarize(v).find((s) => s.version === '5.0')!;
    expect(sum).toMatchObject({ failed: 0, failedMust: 0, advisory: 2, untested: 4 });
  });
});

describe('JUnit from the compliance outcomes', () => {
  it('failed → failure, inconclusive → error (not a broker failure, not a pass), not applicable → skipped, advisory → passed with a note', async () => {
    const { renderJunit } = await import('../../src/report/junit-formatter.ts');
    const outcomes: ScenarioOutcome[] = [
      out('passed', [chk('MQTT-1', 'passed')]),
      {
        ...out('failed', [chk('MQTT-2', 'failed')], 'no PUBACK <3>'),
        step: { text: 'receives PUBACK', statements: ['MQTT-2'] },
      },
      { ...out('inconclusive', [chk('MQTT-3', 'inconclusive')], 'refused'), cause: 'precondition' },
      out('not-applicable', [chk('MQTT-4', 'not-applicable')], 'no retain'),
      out('advisory', [chk('MQTT-5', 'advisory')], 'late'),
    ];
    const xml = renderJunit({
      ...buildComplianceReport({ outcomes: [], tagErrors: [], findings: [] }),
      scenarioResults: outcomes,
    });
    expect(xml.match(/<testcase /g)).toHaveLength(5);
    expect(xml).toMatch(
      /<failure type="failed" message="failed at &quot;receives PUBACK&quot; \(checks MQTT-2\): no PUBACK &lt;3&gt;">/,
    );
    expect(xml).toMatch(/<error type="inconclusive" message="inconclusive \(precondition\): refused">/);
    expect(xml).toMatch(/<skipped message="not applicable: no retain"\/>/);
    expect(xml).toMatch(/<system-out>advisory: late<\/system-out>/);
    expect(xml).toMatch(/tests="5" failures="1" errors="1" skipped="1"/);
  });
});
