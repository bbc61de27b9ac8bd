/**
 * `mqtt-harness fleet check`: the version comes from the history, verdicts are printed as they
 * are, and the exit code says 0 all hold / 1 violated / 3 undecided or nothing decided / 2 bad input.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toJsonLines, type Op } from '../../src/checker/index.ts';
import { EXIT } from '../../src/common/exit-codes.ts';
import { fleetCheck } from '../../src/cli/fleet-check.ts';
import { withTimeout } from '../../src/common/index.ts';
import { HB } from './history-builder.ts';
import { fleetHistory, withoutReceiptsOf } from './fleet-history.ts';

const tmp = mkdtempSync(join(tmpdir(), 'fleet-check-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const file = (ops: Op[] | string): string => {
  const f = join(tmp, `h${n++}.jsonl`);
  writeFileSync(f, typeof ops === 'string' ? ops : toJsonLines(ops));
  return f;
};

describe('fleet check', () => {
  it('a 5.0 history cites 5.0 statements without being told', () => {
    const out = fleetCheck(file(fleetHistory({ level: 5 }).ops), { checkers: ['qos1-at-least-once'] });
    expect(out.lines[0]).toMatch(/MQTT 5\.0$/);
    expect(out.lines[1]).toContain('MQTT-4.3.2-3');
    expect(out.lines[1]).not.toContain('MQTT-4.3.2-1,');
    expect(out.exitCode).toBe(EXIT.ok);
  });

  it('a 3.1.1 history cites 3.1.1 statements', () => {
    const out = fleetCheck(file(fleetHistory({ level: 4 }).ops), { checkers: ['qos1-at-least-once'] });
    expect(out.lines[0]).toMatch(/MQTT 3\.1\.1$/);
    expect(out.lines[1]).toContain('MQTT-4.3.2-1');
  });

  it('--version that contradicts the history is a usage error; a history without versions needs it', () => {
    expect(fleetCheck(file(fleetHistory({ level: 5 }).ops), { version: '3.1.1' })).toEqual({
      lines: [expect.stringMatching(/recorded with MQTT 5\.0, but --version says 3\.1\.1/)],
      exitCode: EXIT.usage,
    });
    const bare = new HB()
      .connect('s', { level: 'none' })
      .subscribe('s', 't')
      .connect('p', { level: 'none' })
      .publish('p', 'a', 't')
      .recv('s', 'a', 't').ops;
    expect(fleetCheck(file(bare), {}).exitCode).toBe(EXIT.usage);
    expect(fleetCheck(file(bare), { version: '5.0', checkers: ['qos1-at-least-once'] }).lines[1]).toContain(
      'MQTT-4.3.2-3',
    );
    const mixed = new HB().connect('a', { level: 4 }).connect('b', { level: 5 }).ops;
    expect(fleetCheck(file(mixed), {}).lines[0]).toMatch(/mixes MQTT 3\.1\.1 and 5\.0/);
  });

  it('"all guarantees hold" only when every checker is valid', () => {
    const all = fleetCheck(file(fleetHistory().ops), {
      checkers: ['qos1-at-least-once', 'ordered-topics', 'session-resume'],
    });
    expect(all.lines.at(-1)).toBe('all 3 guarantees hold');
    expect(all.exitCode).toBe(EXIT.ok);
    const some = fleetCheck(file(fleetHistory().ops), { checkers: ['qos1-at-least-once', 'last-will'] });
    expect(some.lines.at(-1)).toBe('1 hold (qos1-at-least-once); 1 had nothing to check (last-will)');
    expect(some.exitCode).toBe(EXIT.ok);
  });

  it('removed receipts: unknown, exit 3, never VALID', () => {
    const out = fleetCheck(file(withoutReceiptsOf(fleetHistory().ops, 'sensor-2')), {
      checkers: ['qos1-at-least-once'],
    });
    expect(out.lines[1]).toMatch(/^\[inconclusive: undecided\] UNKNOWN qos1-at-least-once: 15 of 45 /);
    expect(out.lines.join('\n')).not.toMatch(/\bVALID\b|guarantees hold/);
    expect(out.exitCode).toBe(EXIT.inconclusive);
  });

  it('nothing decided at all is exit 3', () => {
    const out = fleetCheck(file(fleetHistory().ops), { checkers: ['last-will', 'retained-last-value'] });
    expect(out.lines.at(-1)).toMatch(/^nothing decided/);
    expect(out.exitCode).toBe(EXIT.inconclusive);
  });

  it('a real loss: invalid, exit 1, with the statement IDs', () => {
    const out = fleetCheck(file(fleetHistory({ lostFrom: ['sensor-2'] }).ops), {});
    expect(out.lines.join('\n')).toMatch(/\[failed\] INVALID qos1-at-least-once: 15 violation/);
    expect(out.lines.at(-1)).toMatch(/^GUARANTEE VIOLATED: qos1-at-least-once;/);
    expect(out.exitCode).toBe(EXIT.violations);
  });

  it('gives the same verdicts as data for --json', () => {
    const out = fleetCheck(file(fleetHistory({ lostFrom: ['sensor-2'], level: 5 }).ops), {
      checkers: ['qos1-at-least-once', 'last-will'],
    });
    expect(out.json!.version).toBe('5.0');
    expect(out.json!.results.map((r) => [r.checker, r.verdict, r.outcome])).toEqual([
      ['qos1-at-least-once', 'invalid', 'failed'],
      ['last-will', 'nothing-to-check', 'not-applicable'],
    ]);
    expect(out.json!.results[0].violations![0].statements).toEqual([{ version: '5.0', id: 'MQTT-4.5.0-1' }]);
    expect(out.json!.summary.verdict).toBe('invalid');
    expect(JSON.parse(JSON.stringify(out.json)).results[0].witness.length).toBeGreaterThan(0);
  });

  it('bad files are exit 2 with one line naming the file', () => {
    for (const [f, why] of [
      [join(tmp, 'missing.jsonl'), /no such file/],
      [file('{"index":0}\n'), /line 1: not an op/],
      [file('nope\n'), /line 1: not JSON/],
      [file(''), /empty/],
    ] as const) {
      const out = fleetCheck(f, {});
      expect(out.exitCode).toBe(EXIT.usage);
      expect(out.lines).toHaveLength(1);
      expect(out.lines[0]).toContain(f);
      expect(out.lines[0]).toMatch(why);
    }
  });

  it('the real command exits with those codes', { timeout: 60_000 }, async () => {
    const run = (args: string[]): Promise<number | null> =>
      withTimeout(
        new Promise((res) => {
          const p = spawn(process.execPath, ['bin/mqtt-harness.js', 'fleet', 'check', ...args], { stdio: 'ignore' });
          p.once('exit', (c) => res(c));
        }),
        30_000,
        `fleet check ${args.join(' ')}`,
      );
    const codes = await Promise.all([
      run([file(fleetHistory().ops), '--checkers', 'qos1-at-least-once']),
      run([file(fleetHistory({ lostFrom: ['sensor-1'] }).ops)]),
      run([file(withoutReceiptsOf(fleetHistory().ops, 'sensor-1'))]),
      run([join(tmp, 'missing.jsonl')]),
      run([file(fleetHistory().ops), '--checkers', 'qos1-at-lest-once']),
    ]);
    expect(codes).toEqual([EXIT.ok, EXIT.violations, EXIT.inconclusive, EXIT.usage, EXIT.usage]);
  });
});
