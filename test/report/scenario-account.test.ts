import { describe, expect, it } from 'vitest';
import { ScenarioAccount } from '../../steps/support/scenario-account.ts';
import { AdvisoryError, ViolationError, classifyFailure } from '../../steps/support/failure-classes.ts';
import { ExpectationError, TargetError } from '../../src/client/index.ts';
import { findStatement, type Statement } from '../../src/spec/index.ts';
import { TagError } from '../../src/report/index.ts';

const st = (id: string, v: '3.1.1' | '5.0' = '5.0'): Statement => findStatement(v, id)!;

/** A minimal gherkin document and pickle: steps at lines 10, 12, 14 ... with optional comments above. */
function scenario(steps: Array<{ text: string; type: 'Context' | 'Action' | 'Outcome'; comments?: string[] }>) {
  const comments: Array<{ location: { line: number }; text: string }> = [];
  const children = steps.map((s, i) => {
    const line = 10 + i * 5;
    (s.comments ?? []).forEach((c, j, all) =>
      comments.push({ location: { line: line - all.length + j }, text: `    # ${c}` }),
    );
    return { id: `ast${i}`, location: { line }, text: s.text };
  });
  const doc = { uri: 'f.feature', comments, feature: { children: [{ scenario: { steps: children } }] } };
  const pickle = {
    uri: 'f.feature',
    name: 's',
    steps: steps.map((s, i) => ({ id: `p${i}`, text: s.text, type: s.type, astNodeIds: [`ast${i}`] })),
  };
  return { doc: doc as never, pickle: pickle as never };
}

describe('ScenarioAccount: a statement fails only when a step that checks it fails', () => {
  const tagged = [st('MQTT-3.3.4-1'), st('MQTT-4.3.2-4'), st('MQTT-3.1.2-8')];

  it('by default, outcome steps check the tags; a failed outcome step fails them', () => {
    const { doc, pickle } = scenario([
      { text: 'connected', type: 'Context' },
      { text: 'receives PUBACK', type: 'Outcome' },
    ]);
    const a = ScenarioAccount.plan(pickle, doc, '5.0', tagged, false);
    a.startStep('p0');
    a.stepPassed();
    expect(a.stepStatements).toEqual([]);
    a.startStep('p1');
    expect(a.stepStatements.map((s) => s.id)).toEqual(['MQTT-3.3.4-1', 'MQTT-4.3.2-4', 'MQTT-3.1.2-8']);
    a.stepEnded('failed', { statements: a.stepStatements, detail: 'no PUBACK' });
    const r = a.finish();
    expect(r.kind).toBe('failed');
    expect(r.checks.map((c) => c.outcome)).toEqual(['failed', 'failed', 'failed']);
    expect(r.step).toMatchObject({ text: 'receives PUBACK', line: 15 });
  });

  it('annotations pick the statements of each step; statements not reached are inconclusive, never failed', () => {
    const { doc, pickle } = scenario([
      { text: 'connected', type: 'Context' },
      { text: 'closed', type: 'Outcome', comments: ['a note', 'checks MQTT-3.3.4-1'] },
      { text: 'will arrives', type: 'Outcome', comments: ['checks MQTT-3.1.2-8'] },
      { text: 'something else', type: 'Outcome' },
    ]);
    const a = ScenarioAccount.plan(pickle, doc, '5.0', tagged, false);
    a.startStep('p1');
    expect(a.stepStatements.map((s) => s.id)).toEqual(['MQTT-3.3.4-1']);
    a.stepPassed();
    a.startStep('p2');
    a.stepEnded('failed', { statements: a.stepStatements, detail: 'no will' });
    const r = a.finish();
    const by = Object.fromEntries(r.checks.map((c) => [c.id, c.outcome]));
    expect(by).toEqual({ 'MQTT-3.3.4-1': 'passed', 'MQTT-3.1.2-8': 'failed', 'MQTT-4.3.2-4': 'inconclusive' });
  });

  it('a precondition failure leaves every statement inconclusive', () => {
    const { doc, pickle } = scenario([
      { text: 'subscribed', type: 'Context' },
      { text: 'receives', type: 'Outcome' },
    ]);
    const a = ScenarioAccount.plan(pickle, doc, '5.0', tagged, false);
    a.startStep('p0');
    a.stepEnded('inconclusive', { cause: 'precondition', detail: 'SUBACK 0x80' });
    const r = a.finish();
    expect(r).toMatchObject({ kind: 'inconclusive', cause: 'precondition' });
    expect(new Set(r.checks.map((c) => c.outcome))).toEqual(new Set(['inconclusive']));
  });

  it('"checks if sent" statements count only when the optional packet came; otherwise they are not applicable', () => {
    const { doc, pickle } = scenario([
      {
        text: 'closed, 0x8E if sent',
        type: 'Outcome',
        comments: ['checks MQTT-3.1.2-8', 'checks if sent MQTT-3.3.4-1'],
      },
    ]);
    const none = ScenarioAccount.plan(pickle, doc, '5.0', tagged, false);
    none.startStep('p0');
    none.optionalPacket(false, 'DISCONNECT');
    none.stepPassed();
    const r = Object.fromEntries(none.finish().checks.map((c) => [c.id, c]));
    expect(r['MQTT-3.1.2-8'].outcome).toBe('passed');
    expect(r['MQTT-3.3.4-1'].outcome).toBe('not-applicable');
    expect(r['MQTT-3.3.4-1'].step).toMatch(/sent no DISCONNECT/);
    const sent = ScenarioAccount.plan(pickle, doc, '5.0', tagged, false);
    sent.startStep('p0');
    sent.optionalPacket(true, 'DISCONNECT');
    sent.stepPassed();
    expect(Object.fromEntries(sent.finish().checks.map((c) => [c.id, c.outcome]))['MQTT-3.3.4-1']).toBe('passed');
  });

  it('an annotation naming a statement of no version is a tag error; one of the other version is ignored', () => {
    const bad = scenario([{ text: 'x', type: 'Outcome', comments: ['checks MQTT-9.9.9-9'] }]);
    expect(() => ScenarioAccount.plan(bad.pickle, bad.doc, '5.0', tagged, false)).toThrow(TagError);
    const other = scenario([{ text: 'x', type: 'Outcome', comments: ['checks MQTT-3.1.0-2'] }]);
    const a = ScenarioAccount.plan(other.pickle, other.doc, '5.0', tagged, false);
    a.startStep('p0');
    expect(a.stepStatements).toEqual([]);
  });

  it('a failed check in an @advisory scenario, or of statements that are not MUST, is advisory', () => {
    const { doc, pickle } = scenario([{ text: 'x', type: 'Outcome' }]);
    // The registry holds only the MUST / MUST NOT statements of both standards; a recommendation
    // would be advisory by its level (shaped here as one).
    const should = { ...st('MQTT-3.3.4-1'), level: 'SHOULD' } as Statement;
    expect(ScenarioAccount.plan(pickle, doc, '5.0', [should], false).advisoryFor([should])).toBe(true);
    expect(ScenarioAccount.plan(pickle, doc, '5.0', tagged, true).advisoryFor(tagged)).toBe(true);
    expect(ScenarioAccount.plan(pickle, doc, '5.0', tagged, false).advisoryFor(tagged)).toBe(false);
  });
});

describe("classifyFailure: the harness's trouble is never the broker's failure", () => {
  const must = [st('MQTT-3.3.4-1')];
  const ctx = (stepStatements: Statement[], alive = true) => ({
    stepStatements,
    advisoryFor: () => false,
    targetAlive: async () => alive,
  });
  it('an unmet expectation fails a checking step, and is inconclusive in a precondition', async () => {
    expect(await classifyFailure(new ExpectationError('no PUBACK'), ctx(must))).toMatchObject({
      outcome: 'failed',
      statements: must,
    });
    expect(await classifyFailure(new ExpectationError('refused'), ctx([]))).toMatchObject({
      outcome: 'inconclusive',
      cause: 'precondition',
    });
    expect(await classifyFailure(new ExpectationError('closed'), ctx([], false))).toMatchObject({
      outcome: 'inconclusive',
      cause: 'target-down',
    });
    expect(await classifyFailure(new ExpectationError('closed while waiting'), ctx(must, false))).toMatchObject({
      outcome: 'inconclusive',
      cause: 'target-down',
    });
  });
  it("a check the spec lets a broker off (AdvisoryError) is advisory for the step's statements", async () => {
    expect(await classifyFailure(new AdvisoryError('did not detect'), ctx(must))).toMatchObject({
      outcome: 'advisory',
      statements: must,
    });
  });
  it('a strict-decoder violation fails the statement it breaks, in any step', async () => {
    const v = [st('MQTT-3.3.2-14')];
    expect(await classifyFailure(new ViolationError('bad topic', v), ctx([]))).toMatchObject({
      outcome: 'failed',
      statements: v,
    });
  });
  it('an unreachable target or a harness bug is inconclusive', async () => {
    expect(await classifyFailure(new TargetError('cannot reach'), ctx(must, true))).toMatchObject({
      outcome: 'inconclusive',
      cause: 'unreachable',
    });
    expect(await classifyFailure(new TargetError('cannot reach'), ctx(must, false))).toMatchObject({
      outcome: 'inconclusive',
      cause: 'target-down',
    });
    expect(await classifyFailure(new TypeError('x is undefined'), ctx(must))).toMatchObject({
      outcome: 'inconclusive',
      cause: 'harness-error',
    });
  });
});
