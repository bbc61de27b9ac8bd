/**
 * Issue 9: a checker says `valid` only when every item it examined is decided; undecided items
 * make it `unknown` with a count and reasons; nothing to examine is `nothing-to-check`; pairs
 * are counted once; a history with one sensor's receipts removed is never VALID.
 */
import { describe, expect, it } from 'vitest';
import {
  CHECKERS,
  VIOLATION_CITES,
  checkAll,
  countMissingOps,
  decideVerdict,
  mergeUndecided,
  verdictSummary,
  checkQos1AtLeastOnce,
  checkQos2ExactlyOnce,
  cite,
  formatResult,
  fromJsonLines,
  summarizeVerdicts,
  toJsonLines,
  verdictOutcome,
  type CheckerName,
  type ViolationKind,
} from '../../src/checker/index.ts';
import { HB } from './history-builder.ts';
import { fleetHistory, withoutReceiptsOf } from './fleet-history.ts';

describe('valid only when everything is decided', () => {
  it('one decided pair and one undecided pair give unknown, with the count and the reason', () => {
    const h = new HB()
      .connect('sub')
      .subscribe('sub', 't/#', 1)
      .connect('pub')
      .publish('pub', 'a', 't/a')
      .recv('sub', 'a', 't/a')
      .publish('pub', 'b', 't/a', 1, { done: 'info' });
    const r = checkQos1AtLeastOnce(h.ops);
    expect(r.verdict).toBe('unknown');
    expect(r.valid).toBe('unknown');
    expect([r.checked, r.unknown]).toEqual([2, 1]);
    expect(r.undecided).toEqual([{ reason: 'publish outcome info', count: 1, example: 'b -> sub' }]);
    expect(formatResult(r)).toMatch(
      /^UNKNOWN qos1-at-least-once: 1 of 2 QoS 1 message\/subscriber pairs undecided \(1× publish outcome info/,
    );
  });

  it('the same history with the outcome known is valid, with nothing undecided', () => {
    const h = new HB()
      .connect('sub')
      .subscribe('sub', 't/#', 1)
      .connect('pub')
      .publish('pub', 'a', 't/a')
      .recv('sub', 'a', 't/a')
      .publish('pub', 'b', 't/a')
      .recv('sub', 'b', 't/a');
    const r = checkQos1AtLeastOnce(h.ops);
    expect([r.verdict, r.checked, r.unknown, r.undecided]).toEqual(['valid', 2, 0, []]);
    expect(formatResult(r)).toMatch(/^VALID qos1-at-least-once: all 2 /);
  });

  it('a violation wins over undecided items, and both are reported', () => {
    const h = new HB()
      .connect('sub')
      .subscribe('sub', 't/#', 1)
      .connect('pub')
      .publish('pub', 'a', 't/a')
      .publish('pub', 'b', 't/a', 1, { done: 'info' });
    const r = checkQos1AtLeastOnce(h.ops);
    expect(r.verdict).toBe('invalid');
    expect(r.summary).toMatch(/1 violation\(s\) among 2 .*; 1 undecided \(1× publish outcome info/);
    expect(r.statements.every((s) => s.version === '3.1.1')).toBe(true);
  });
});

describe('nothing to check is its own answer', () => {
  it('every checker over an empty history says nothing-to-check, never valid', () => {
    for (const r of checkAll([])) {
      expect([r.checker, r.verdict]).toEqual([r.checker, 'nothing-to-check']);
      expect(r.valid).not.toBe(true);
      expect(formatResult(r)).toMatch(/^NOTHING TO CHECK /);
    }
  });

  it('a history without wills has nothing for the will checker while others decide', () => {
    const h = fleetHistory({ sensors: 1, perSensor: 2 });
    const [q1, will] = checkAll(h.ops, ['qos1-at-least-once', 'last-will'] satisfies CheckerName[]);
    expect(q1.verdict).toBe('valid');
    expect(will.verdict).toBe('nothing-to-check');
    const s = summarizeVerdicts([q1, will]);
    expect(s.verdict).toBe('valid');
    expect(s.line).toBe('1 hold (qos1-at-least-once); 1 had nothing to check (last-will)');
    expect(s.line).not.toMatch(/all .* hold/);
  });

  it('a summary is unknown when no checker decided anything', () => {
    const s = summarizeVerdicts(checkAll([], ['last-will', 'retained-last-value']));
    expect(s.verdict).toBe('unknown');
    expect(s.line).toMatch(/^nothing decided; 2 had nothing to check/);
  });

  it('verdicts map onto the project outcome words', () => {
    expect(Object.keys(CHECKERS).length).toBe(7);
    expect(verdictOutcome('valid')).toEqual({ outcome: 'passed' });
    expect(verdictOutcome('invalid')).toEqual({ outcome: 'failed' });
    expect(verdictOutcome('unknown')).toEqual({ outcome: 'inconclusive', cause: 'undecided' });
    expect(verdictOutcome('nothing-to-check')).toEqual({ outcome: 'not-applicable' });
  });
});

describe('QoS 2 pair counting', () => {
  it('160 messages and one subscriber are 160 pairs, not 320', () => {
    const h = fleetHistory({ sensors: 8, perSensor: 20, qos: 2, level: 5 });
    const r = checkQos2ExactlyOnce(h.ops);
    expect(r.verdict).toBe('valid');
    expect(r.checked).toBe(160);
    expect(r.summary).toContain('all 160 QoS 2 message/subscriber pairs hold');
    expect(r.statements.every((s) => s.version === '3.1.1')).toBe(true); // no version passed: the default
    expect(checkQos2ExactlyOnce(h.ops, { version: '5.0' }).statements.map((s) => s.id)).toContain('MQTT-4.3.3-8');
  });

  it('a duplicated and a lost message still count one pair each', () => {
    const h = new HB()
      .connect('sub')
      .subscribe('sub', 't/#', 2)
      .connect('pub')
      .publish('pub', 'a', 't/a', 2)
      .recv('sub', 'a', 't/a', 2)
      .recv('sub', 'a', 't/a', 2)
      .publish('pub', 'b', 't/a', 2)
      .recv('sub', 'b', 't/a', 2)
      .publish('pub', 'c', 't/a', 2);
    const r = checkQos2ExactlyOnce(h.ops);
    expect(r.verdict).toBe('invalid');
    expect(r.checked).toBe(3);
    expect(r.violations!.map((v) => v.key)).toEqual(['dup:a->sub#0', 'lost:c->sub#0']);
    expect(r.violations!.map((v) => v.statements)).toEqual([
      [{ version: '3.1.1', id: 'MQTT-4.3.3-2' }],
      [{ version: '3.1.1', id: 'MQTT-4.5.0-1' }],
    ]);
    const v5 = checkQos2ExactlyOnce(h.ops, { version: '5.0' });
    expect(v5.violations![0].statements).toEqual([{ version: '5.0', id: 'MQTT-4.3.3-10' }]);
    for (const v of [...r.violations!, ...v5.violations!]) {
      for (const s of v.statements) expect([...r.statements, ...v5.statements]).toContainEqual(s); // within the checker's own list
    }
    expect(formatResult(r)).toContain('first violation breaks: MQTT-4.3.3-2 (MQTT 3.1.1)');
  });
});

describe("one sensor's receipts removed (the reported case)", () => {
  const full = fleetHistory();

  it('the complete history is valid', () => {
    const r = checkQos1AtLeastOnce(full.ops);
    expect([r.verdict, r.checked, r.unknown]).toEqual(['valid', 45, 0]);
  });

  it('receipts deleted from the file (index gaps) are never VALID: unknown, 15 undecided, history incomplete', () => {
    const edited = fromJsonLines(toJsonLines(withoutReceiptsOf(full.ops, 'sensor-2')));
    expect(full.ops.length - edited.length).toBe(15);
    const r = checkQos1AtLeastOnce(edited);
    expect(r.verdict).toBe('unknown');
    expect([r.checked, r.unknown]).toEqual([45, 15]);
    expect(r.undecided).toEqual([
      { reason: 'history incomplete (15 op(s) missing)', count: 15, example: 'sensor-2:0 -> dashboard' },
    ]);
    expect(formatResult(r)).not.toMatch(/VALID/);
  });

  it("a slice of a complete history keeps the whole history's completeness when told (chunked checking)", () => {
    const whole = fleetHistory({ lostFrom: ['sensor-2'] }).ops;
    const slice = whole.filter((op) => op.process !== 'sensor-1' && !op.value.msgId?.startsWith('sensor-1:'));
    expect(checkQos1AtLeastOnce(slice).verdict).toBe('unknown'); // on its own, a slice has gaps
    const r = checkQos1AtLeastOnce(slice, { missingOps: countMissingOps(whole) });
    expect([r.verdict, r.violations!.length]).toEqual(['invalid', 15]);
  });

  it('a complete history where the broker never delivered them, subscriber connected throughout and leaving normally: invalid', () => {
    const h = fleetHistory({ lostFrom: ['sensor-2'] });
    const r = checkQos1AtLeastOnce(h.ops);
    expect(r.verdict).toBe('invalid');
    expect(r.violations!.length).toBe(15);
    expect(r.violations!.every((v) => v.key.startsWith('lost:sensor-2:'))).toBe(true);
    expect(r.statements).toContainEqual({ version: '3.1.1', id: 'MQTT-4.3.2-1' });
    expect(r.violations![0].statements).toEqual([{ version: '3.1.1', id: 'MQTT-4.5.0-1' }]);
    const again = checkQos1AtLeastOnce(h.ops, { version: '5.0' });
    expect(again.statements).toContainEqual({ version: '5.0', id: 'MQTT-4.3.2-3' });
  });

  it('the same loss still connected at the end is invalid too', () => {
    expect(checkQos1AtLeastOnce(fleetHistory({ lostFrom: ['sensor-2'], dashboardEnd: 'connected' }).ops).verdict).toBe(
      'invalid',
    );
  });

  it("when the subscriber's link dropped at the end, its persistent session may still hold them: unknown", () => {
    const r = checkQos1AtLeastOnce(fleetHistory({ lostFrom: ['sensor-2'], dashboardEnd: 'drop' }).ops);
    expect(r.verdict).toBe('unknown');
    expect(r.unknown).toBe(15);
    expect(r.undecided[0].reason).toBe('subscriber offline at the end');
  });

  it('a loss across a resumed persistent session also cites queueing and resending', () => {
    const h = new HB()
      .connect('sub', { clean: false, persistent: true })
      .subscribe('sub', 't', 1)
      .drop('sub')
      .connect('pub')
      .publish('pub', 'a', 't')
      .connect('sub', { clean: false, persistent: true, present: true })
      .wait(100);
    const r = checkQos1AtLeastOnce(h.ops, { version: '5.0' });
    expect(r.verdict).toBe('invalid');
    expect(r.violations![0].statements.map((s) => s.id)).toEqual([
      'MQTT-4.5.0-1',
      'MQTT-3.1.2-5',
      'MQTT-3.1.2-23',
      'MQTT-4.4.0-1',
    ]);
    for (const s of r.violations![0].statements) expect(r.statements).toContainEqual(s);
  });

  it('a message acknowledged within the settle time before the subscriber left is not yet owed', () => {
    const h = new HB()
      .connect('sub', { clean: false, persistent: true })
      .subscribe('sub', 't', 1)
      .connect('pub')
      .publish('pub', 'a', 't')
      .disconnect('sub');
    expect(checkQos1AtLeastOnce(h.ops).verdict).toBe('invalid');
    const r = checkQos1AtLeastOnce(h.ops, { settleMs: 1000 });
    expect(r.verdict).toBe('unknown');
    expect(r.undecided[0].reason).toBe('subscriber disconnected just after the acknowledgement');
  });
});

describe('violation citations', () => {
  const owner: Record<ViolationKind, CheckerName[]> = {
    lost: ['qos1-at-least-once', 'qos2-exactly-once'],
    'lost-across-resume': ['qos1-at-least-once', 'qos2-exactly-once'],
    'dup-qos0': ['qos0-at-most-once'],
    'dup-qos2': ['qos2-exactly-once'],
    order: ['ordered-topics'],
    stale: ['retained-last-value'],
    'missing-retained': ['retained-last-value'],
    'will-after-disconnect': ['last-will'],
    'will-missing': ['last-will'],
    'present-after-clean': ['session-resume'],
    'session-lost': ['session-resume'],
    'present-without-session': ['session-resume'],
    'queued-lost': ['session-resume'],
  };
  it.each(['3.1.1', '5.0'] as const)(
    'every kind cites statements of the checkers that raise it (MQTT %s)',
    (version) => {
      for (const kind of Object.keys(VIOLATION_CITES) as ViolationKind[]) {
        const refs = cite(kind, version);
        expect(refs.length).toBeGreaterThan(0);
        for (const name of owner[kind]) {
          const list = CHECKERS[name].statements(version);
          for (const s of refs) expect(list, `${kind} in ${name}`).toContainEqual(s);
        }
      }
    },
  );
});

describe('combining partial results (a history checked in chunks)', () => {
  it('uses the same verdict rule and adds up the undecided reasons', () => {
    expect(decideVerdict({ violations: 1, checked: 5, unknown: 5 })).toBe('invalid');
    expect(decideVerdict({ violations: 0, checked: 0, unknown: 0 })).toBe('nothing-to-check');
    expect(decideVerdict({ violations: 0, checked: 5, unknown: 1 })).toBe('unknown');
    expect(decideVerdict({ violations: 0, checked: 5, unknown: 0 })).toBe('valid');
    expect(
      mergeUndecided([
        [
          { reason: 'a', count: 1 },
          { reason: 'b', count: 1, example: 'x' },
        ],
        [{ reason: 'b', count: 2 }],
      ]),
    ).toEqual([
      { reason: 'b', count: 3, example: 'x' },
      { reason: 'a', count: 1 },
    ]);
    const whole = checkQos1AtLeastOnce(withoutReceiptsOf(fleetHistory().ops, 'sensor-2'));
    expect(
      verdictSummary(
        CHECKERS['qos1-at-least-once'],
        { violations: 0, checked: whole.checked, unknown: whole.unknown },
        whole.undecided,
      ),
    ).toBe(whole.summary);
  });
});
