import { describe, expect, it } from 'vitest';
import {
  buildComplianceReport,
  collectOutcomes,
  formatComplianceSummary,
  runVerdict,
  type AttemptLike,
  type ScenarioRecord,
  type StatementCheck,
} from '../../src/report/index.ts';
import { MEDIA_SCENARIO, MEDIA_VERDICT } from '../../src/report/attachments.ts';
import { chk, out } from './outcome-builders.ts';

const record = (r: ScenarioRecord) => ({ mediaType: MEDIA_SCENARIO, body: JSON.stringify(r) });
const attempt = (
  status: string,
  tags: string[],
  attachments: Array<{ mediaType: string; body: string }> = [],
  message?: string,
  id = `p-${status}-${tags.join()}`,
  retried = false,
): AttemptLike => ({
  willBeRetried: retried,
  gherkinDocument: {
    uri: 'features/a.feature',
    comments: [],
    feature: {
      location: { line: 1 },
      tags: [],
      language: 'en',
      keyword: 'Feature',
      name: 'f',
      description: '',
      children: [],
    },
  } as never,
  pickle: {
    id,
    uri: 'features/a.feature',
    name: `scenario ${status}`,
    language: 'en',
    steps: [],
    astNodeIds: ['n'],
    tags: tags.map((name) => ({ name, astNodeId: 't' })),
  } as never,
  stepAttachments: { s: attachments.map((a) => ({ ...a, contentEncoding: 'IDENTITY' })) as never },
  worstTestStepResult: { status, message, duration: { seconds: 0, nanos: 0 } } as never,
});
const c311 = (id: string, outcome: StatementCheck['outcome']): StatementCheck => ({
  version: '3.1.1',
  id,
  outcome,
  step: 'Then y (line 9)',
});

describe('collectOutcomes and the compliance report', () => {
  it("reads the World's scenario records; harness trouble without a record is inconclusive", () => {
    const run = collectOutcomes([
      attempt(
        'PASSED',
        ['@v5', '@MQTT-3.1.0-2'],
        [record({ kind: 'passed', checks: [chk('MQTT-3.1.0-2', 'passed')] })],
      ),
      attempt(
        'FAILED',
        ['@v3.1.1', '@MQTT-3.1.0-2'],
        [
          record({
            kind: 'failed',
            detail: 'expected closed',
            step: { text: 'the connection of "A" is closed', line: 9, statements: ['MQTT-3.1.0-2'] },
            checks: [c311('MQTT-3.1.0-2', 'failed')],
          }),
          { mediaType: 'text/plain', body: 'Packet trace\n  -> CONNECT' },
        ],
        'Error: expected closed\n    at x (y.ts:1)',
      ),
      attempt(
        'SKIPPED',
        ['@v5', '@MQTT-3.3.1-5'],
        [
          record({
            kind: 'not-applicable',
            detail: 'retain: not available',
            checks: [chk('MQTT-3.3.1-5', 'not-applicable')],
          }),
        ],
      ),
      attempt(
        'SKIPPED',
        ['@v5', '@MQTT-3.2.0-1'],
        [
          record({
            kind: 'inconclusive',
            cause: 'precondition',
            detail: 'connection refused: CONNACK 0x87',
            checks: [chk('MQTT-3.2.0-1', 'inconclusive')],
          }),
        ],
      ),
      attempt('UNDEFINED', ['@v5', '@MQTT-3.2.0-1']),
      attempt('PASSED', ['@v5', '@MQTT-0.0.0-0']),
    ]);
    expect(run.outcomes.map((o) => o.kind)).toEqual([
      'passed',
      'failed',
      'not-applicable',
      'inconclusive',
      'inconclusive',
      'passed',
    ]);
    expect(run.outcomes[1].detail).toBe('expected closed\nPacket trace\n  -> CONNECT');
    expect(run.outcomes[1].step?.text).toBe('the connection of "A" is closed');
    expect(run.outcomes[2].detail).toBe('retain: not available');
    expect(run.outcomes[3].cause).toBe('precondition');
    expect(run.outcomes[4]).toMatchObject({ cause: 'harness-error' });
    expect(run.tagErrors).toHaveLength(1);
    expect(run.tagErrors[0]).toMatch(/@MQTT-0\.0\.0-0 .*not a statement of MQTT 5\.0/);

    const r = buildComplianceReport({ ...run, info: { target: 'mqtt://x:1' } }, new Date(0));
    const verdict = (v: string, id: string) => r.statements.find((s) => s.version === v && s.id === id)!.verdict;
    expect(verdict('5.0', 'MQTT-3.1.0-2')).toBe('passed');
    expect(verdict('3.1.1', 'MQTT-3.1.0-2')).toBe('failed');
    expect(verdict('5.0', 'MQTT-3.3.1-5')).toBe('not-applicable');
    expect(verdict('5.0', 'MQTT-3.2.0-1')).toBe('inconclusive');
    expect(r.statements).toHaveLength(392);
    expect(r.scenarios).toMatchObject({ total: 6, passed: 2, failed: 1, notApplicable: 1, inconclusive: 2 });
    expect(r.run).toMatchObject({ outcome: 'violations', exitCode: 1 });
    const text = formatComplianceSummary(r);
    expect(text).toMatch(/MQTT 3\.1\.1 +0 passed, 1 failed/);
    expect(text).toMatch(/failed statements \(a step that checks them failed\):\n +3\.1\.1 +MQTT-3\.1\.0-2/);
    expect(text).toContain('verdict: VIOLATIONS (exit 1)');
  });
  it('a timer check that failed once and held on the re-check is advisory (timing-sensitive)', () => {
    const run = collectOutcomes([
      attempt(
        'FAILED',
        ['@v5', '@MQTT-3.1.2-22'],
        [record({ kind: 'failed', detail: 'closed after 2.6 s', checks: [chk('MQTT-3.1.2-22', 'failed')] })],
        'x',
        'same',
        true,
      ),
      attempt(
        'PASSED',
        ['@v5', '@MQTT-3.1.2-22'],
        [record({ kind: 'passed', checks: [chk('MQTT-3.1.2-22', 'passed')] })],
        undefined,
        'same',
      ),
    ]);
    expect(run.outcomes).toHaveLength(1);
    expect(run.outcomes[0]).toMatchObject({ kind: 'advisory', timingSensitive: true });
    expect(run.outcomes[0].detail).toMatch(/timing-sensitive[^]*closed after 2\.6 s/);
    const r = buildComplianceReport(run);
    expect(r.statements.find((s) => s.version === '5.0' && s.id === 'MQTT-3.1.2-22')!.verdict).toBe('advisory');
    expect(r.run.exitCode).toBe(0);
  });
  it('exit codes: 1 violations, 3 inconclusive (never 1 for harness trouble), 0 compliant', () => {
    const passed = [out('passed', [chk('MQTT-1', 'passed')])];
    expect(runVerdict([], passed, [])).toMatchObject({ outcome: 'compliant', exitCode: 0 });
    const inc = [...passed, { ...out('inconclusive', [chk('MQTT-2', 'inconclusive')]), cause: 'target-down' as const }];
    expect(runVerdict([], inc, [])).toMatchObject({
      outcome: 'inconclusive',
      exitCode: 3,
      inconclusive: { cause: 'target-down' },
    });
    expect(runVerdict([], passed, ['bad tags'])).toMatchObject({
      exitCode: 3,
      inconclusive: { cause: 'harness-error' },
    });
    expect(
      runVerdict([], passed, [], [{ origin: 'run', message: 'the broker stopped answering after x' }]),
    ).toMatchObject({ exitCode: 3, inconclusive: { cause: 'target-down' } });
  });
  it('marks @negative-control scenarios, keeps them out of verdicts and reports a failing one as a harness error', () => {
    const run = collectOutcomes([
      attempt(
        'PASSED',
        ['@v5', '@MQTT-4.5.0-1', '@negative-control'],
        [record({ kind: 'passed', checks: [chk('MQTT-4.5.0-1', 'passed')] })],
      ),
      attempt(
        'FAILED',
        ['@v5', '@MQTT-4.3.3-10', '@negative-control'],
        [record({ kind: 'failed', detail: 'no violation found', checks: [chk('MQTT-4.3.3-10', 'failed')] })],
        'Error: no violation found',
      ),
    ]);
    expect(run.outcomes.map((o) => o.negativeControl)).toEqual([true, true]);
    const r = buildComplianceReport(run, new Date(0));
    const verdict = (id: string) => r.statements.find((s) => s.version === '5.0' && s.id === id)!.verdict;
    expect(verdict('MQTT-4.5.0-1')).toBe('untested');
    expect(verdict('MQTT-4.3.3-10')).toBe('untested');
    expect(r.scenarios).toMatchObject({ total: 2, negativeControls: 2 });
    expect(r.harnessErrors.join('\n')).toMatch(/negative control failed.*no violation found/);
    expect(r.run.exitCode).toBe(3);
  });
  it('keeps the old verdict attachment for not-applicable scenarios without a record', () => {
    const run = collectOutcomes([
      attempt(
        'SKIPPED',
        ['@v5', '@MQTT-3.3.1-5'],
        [{ mediaType: MEDIA_VERDICT, body: JSON.stringify({ kind: 'not-applicable', reason: 'no retain' }) }],
      ),
    ]);
    expect(run.outcomes[0]).toMatchObject({ kind: 'not-applicable', detail: 'no retain' });
  });
});
