import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { countLine, formatTable, parseSpecVersion, selectStatements } from '../../src/cli/spec-command.ts';
import { IDS_5_0, REGISTRY } from '../../src/spec/index.ts';
import type { Statement } from '../../src/spec/index.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a child process, killed after 30 s. */
function cli(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(
      'npx',
      ['tsx', 'src/cli/main.ts', ...args],
      { cwd: root, timeout: 30_000, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe('spec command (child process)', () => {
  it('--json --version 5.0 --testable prints exactly the network-testable 5.0 statements', async () => {
    const r = await cli('spec', '--json', '--version', '5.0', '--testable');
    expect(r.code, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as Statement[];
    const expected = REGISTRY.filter((s) => s.version === '5.0' && s.testability.kind === 'network');
    expect(list.length).toBeGreaterThan(0);
    expect(list.map((s) => s.id)).toEqual(expected.map((s) => s.id));
    for (const s of list) {
      expect(s.version).toBe('5.0');
      expect(s.testability).toEqual({ kind: 'network' });
      expect((IDS_5_0 as readonly string[]).includes(s.id), s.id).toBe(true);
      expect(typeof s.summary).toBe('string');
    }
  });

  it('prints a table for 3.1.1 ending in a count line', async () => {
    const r = await cli('spec', '--version', '311');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const all = REGISTRY.filter((s) => s.version === '3.1.1');
    expect(lines[0]).toMatch(/^ID\s+VERSION\s+LEVEL\s+ACTOR\s+TESTABILITY\s+SUMMARY$/);
    expect(lines.slice(1, 1 + all.length).map((l) => l.split(/\s+/)[0])).toEqual(all.map((s) => s.id));
    expect(lines.at(-1)).toBe(countLine(all));
    expect(lines.at(-1)).toContain(`${all.length} statements`);
  });

  it('rejects an unknown version with a clear error', async () => {
    const r = await cli('spec', '--version', '4');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('unknown MQTT version "4"');
    expect(r.stdout).toBe('');
  });
});

describe('spec command (in process)', () => {
  it('accepts the version spellings and nothing else', () => {
    expect(parseSpecVersion('3.1.1')).toBe('3.1.1');
    expect(parseSpecVersion('311')).toBe('3.1.1');
    expect(parseSpecVersion('5')).toBe('5.0');
    expect(parseSpecVersion('5.0')).toBe('5.0');
    for (const bad of ['', '3', '3.1', '5.1', 'v5', 'all'])
      expect(() => parseSpecVersion(bad), bad).toThrow(/unknown MQTT version/);
  });

  it('filters by version and testability', () => {
    const net311 = selectStatements({ version: '3.1.1', testable: true });
    expect(net311.length).toBe(
      REGISTRY.filter((s) => s.version === '3.1.1' && s.testability.kind === 'network').length,
    );
    expect(net311.every((s) => s.version === '3.1.1' && s.testability.kind === 'network')).toBe(true);
    expect(selectStatements({}).length).toBe(REGISTRY.length);
  });

  it('aligns columns and cuts lines to the terminal width', () => {
    const some = REGISTRY.slice(0, 20);
    const lines = formatTable(some);
    const col = lines[0].indexOf('SUMMARY');
    for (const [i, l] of lines.slice(1).entries()) expect(l.slice(col), l).toBe(some[i].summary);
    const narrow = formatTable(some, 50);
    expect(narrow.every((l) => l.length <= 50)).toBe(true);
    expect(narrow.some((l) => l.endsWith('…'))).toBe(true);
  });

  it('counts per version and testability', () => {
    const list = REGISTRY.filter((s) => s.version === '3.1.1');
    const n = (k: string) => list.filter((s) => s.testability.kind === k).length;
    expect(countLine(list)).toBe(
      `${list.length} statements - MQTT 3.1.1: ${list.length} (${n('network')} network, ${n('server-internal')} server-internal, ${n('client-only')} client-only)`,
    );
  });
});
