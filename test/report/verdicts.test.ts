import { describe, expect, it } from 'vitest';
import { buildComplianceReport, collectOutcomes, computeVerdicts, formatComplianceSummary, summarize, type AttemptLike, type ScenarioOutcome } from '../../src/report/index.ts';
import { MEDIA_VERDICT } from '../../src/report/attachments.ts';
import type { Statement } from '../../src/spec/index.ts';

const st = (id: string, level: Statement['level'] = 'MUST'): Statement =>
  ({ id, version: '5.0', section: 'x', level, actor: 'server', summary: id, testability: { kind: 'network' } }) as Statement;
const out = (kind: ScenarioOutcome['kind'], ids: string[], detail?: string): ScenarioOutcome =>
  ({ name: `s-${kind}`, where: `f.feature:${ids.length}`, version: '5.0', statementIds: ids, kind, detail });

describe('computeVerdicts', () => {
  const reg = [st('MQTT-1'), st('MQTT-2'), st('MQTT-3'), st('MQTT-4'), st('MQTT-5', 'SHOULD')];
  it('failed beats passed beats not-applicable beats untested', () => {
    const v = computeVerdicts([
      out('passed', ['MQTT-1', 'MQTT-2']), out('failed', ['MQTT-2'], 'boom'), out('not-applicable', ['MQTT-3'], 'no retain'),
    ], reg);
    expect(v.map((x) => x.verdict)).toEqual(['passed', 'failed', 'not-applicable', 'untested', 'untested']);
    expect(v[1].details).toEqual(['f.feature:1 s-failed: boom']);
    expect(v[2].details).toEqual(['f.feature:1 s-not-applicable: no retain']);
  });
  it('ignores negative-control outcomes: they are no evidence about the target', () => {
    const control = (kind: ScenarioOutcome['kind'], ids: string[]): ScenarioOutcome => ({ ...out(kind, ids), negativeControl: true });
    const v = computeVerdicts([control('passed', ['MQTT-1']), control('failed', ['MQTT-2']), out('passed', ['MQTT-2'])], reg);
    expect(v[0]).toMatchObject({ verdict: 'untested', scenarios: [] });
    expect(v[1]).toMatchObject({ verdict: 'passed' });
    expect(v[1].scenarios).toHaveLength(1);
  });
  it('an advisory failure does not fail a MUST statement but fails a SHOULD one', () => {
    const v = computeVerdicts([out('advisory-failed', ['MQTT-4', 'MQTT-5'], 'late')], reg);
    expect(v[3].verdict).toBe('untested');
    expect(v[4].verdict).toBe('failed');
    const sum = summarize(v).find((s) => s.version === '5.0')!;
    expect(sum).toMatchObject({ failed: 1, failedMust: 0, untested: 4, untestedNetwork: 4 });
  });
});

const attempt = (status: string, tags: string[], attachments: Array<{ mediaType: string; body: string }> = [], message?: string): AttemptLike => ({
  willBeRetried: false,
  gherkinDocument: { uri: 'features/a.feature', comments: [], feature: { location: { line: 1 }, tags: [], language: 'en', keyword: 'Feature', name: 'f', description: '', children: [] } } as never,
  pickle: { id: 'p', uri: 'features/a.feature', name: `scenario ${status}`, language: 'en', steps: [], astNodeIds: ['n'], tags: tags.map((name) => ({ name, astNodeId: 't' })) } as never,
  stepAttachments: { s: attachments.map((a) => ({ ...a, contentEncoding: 'IDENTITY' })) as never },
  worstTestStepResult: { status, message, duration: { seconds: 0, nanos: 0 } } as never,
});

describe('collectOutcomes and the compliance report', () => {
  it('maps cucumber results and verdict attachments to outcomes', () => {
    const run = collectOutcomes([
      attempt('PASSED', ['@v5', '@MQTT-3.1.0-2']),
      attempt('FAILED', ['@v3.1.1', '@MQTT-3.1.0-2'], [{ mediaType: 'text/plain', body: 'Packet trace\n  -> CONNECT' }], 'Error: expected closed\n    at x (y.ts:1)'),
      attempt('SKIPPED', ['@v5', '@MQTT-3.3.1-5'], [{ mediaType: MEDIA_VERDICT, body: JSON.stringify({ kind: 'not-applicable', reason: 'retain: not available' }) }]),
      attempt('SKIPPED', ['@v5', '@MQTT-3.2.0-1', '@advisory'], [{ mediaType: MEDIA_VERDICT, body: JSON.stringify({ kind: 'advisory-failure', evidence: 'no DISCONNECT' }) }]),
      attempt('UNDEFINED', ['@v5', '@MQTT-3.2.0-1']),
      attempt('PASSED', ['@v5', '@MQTT-0.0.0-0']),
    ]);
    expect(run.outcomes.map((o) => o.kind)).toEqual(['passed', 'failed', 'not-applicable', 'advisory-failed', 'error', 'passed']);
    expect(run.outcomes[1].detail).toBe('Error: expected closed\nPacket trace\n  -> CONNECT');
    expect(run.outcomes[2].detail).toBe('retain: not available');
    expect(run.tagErrors).toHaveLength(1);
    expect(run.tagErrors[0]).toMatch(/@MQTT-0\.0\.0-0 .*not a statement of MQTT 5\.0/);

    const r = buildComplianceReport({ ...run, info: { target: 'mqtt://x:1' } }, new Date(0));
    const verdict = (v: string, id: string) => r.statements.find((s) => s.version === v && s.id === id)!.verdict;
    expect(verdict('5.0', 'MQTT-3.1.0-2')).toBe('passed');
    expect(verdict('3.1.1', 'MQTT-3.1.0-2')).toBe('failed');
    expect(verdict('5.0', 'MQTT-3.3.1-5')).toBe('not-applicable');
    expect(verdict('5.0', 'MQTT-3.2.0-1')).toBe('untested');
    expect(r.statements).toHaveLength(392);
    expect(r.advisoryFindings).toHaveLength(1);
    expect(r.scenarios).toMatchObject({ total: 6, passed: 2, failed: 1, advisoryFailed: 1, notApplicable: 1, errors: 1 });
    const text = formatComplianceSummary(r);
    expect(text).toMatch(/MQTT 3\.1\.1 +0 passed, 1 failed \(1 MUST\)/);
    expect(text).toMatch(/failed MUST \/ MUST NOT statements:\n +3\.1\.1 +MQTT-3\.1\.0-2/);
    expect(text).toContain('advisory findings');
  });
  it('marks @negative-control scenarios, keeps them out of verdicts and reports a failing one as a harness error', () => {
    const run = collectOutcomes([
      attempt('PASSED', ['@v5', '@MQTT-4.5.0-1', '@negative-control']),
      attempt('FAILED', ['@v5', '@MQTT-4.3.3-10', '@negative-control'], [], 'Error: no violation found'),
    ]);
    expect(run.outcomes.map((o) => o.negativeControl)).toEqual([true, true]);
    const r = buildComplianceReport(run, new Date(0));
    const verdict = (id: string) => r.statements.find((s) => s.version === '5.0' && s.id === id)!.verdict;
    expect(verdict('MQTT-4.5.0-1')).toBe('untested');
    expect(verdict('MQTT-4.3.3-10')).toBe('untested');
    expect(r.scenarios).toMatchObject({ total: 2, passed: 1, failed: 1, negativeControls: 2 });
    expect(r.harnessErrors.join('\n')).toMatch(/negative control failed.*no violation found/);
  });
});
