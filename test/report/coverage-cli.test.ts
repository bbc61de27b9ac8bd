import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const run = (...args: string[]) =>
  spawnSync('node', ['node_modules/tsx/dist/cli.mjs', 'src/cli/main.ts', 'coverage', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });

describe('mqtt-harness coverage (feature tags)', () => {
  it('prints covered / total per version for the project features and exits 0', () => {
    const r = run('--no-uncovered');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^MQTT 3\.1\.1: \d+\/\d+ network-testable statements covered \(\d+(\.\d)?%\)/m);
    expect(r.stdout).toMatch(/^MQTT 5\.0: \d+\/\d+ network-testable statements covered/m);
  });
  it('lists uncovered statements, gives JSON, and exits 1 naming a bad tag', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mh-cov-'));
    mkdirSync(join(dir, 'f'));
    writeFileSync(
      join(dir, 'f', 'a.feature'),
      'Feature: a\n  @v5 @MQTT-3.1.0-2\n  Scenario: ok\n    Given x\n\n  @v3.1.1 @MQTT-3.1.2-30\n  Scenario: bad\n    Given x\n',
    );
    const text = run('--features', join(dir, 'f'), '--exclusions', join(dir, 'none.yaml'));
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(/MQTT 5\.0: 1\/\d+ /);
    expect(text.stdout).toMatch(/uncovered MQTT-/);
    expect(text.stdout).toMatch(
      /ERROR bad tags on .*a\.feature:7 "bad".*@MQTT-3\.1\.2-30 \(.*a\.feature:6\) is not a statement of MQTT 3\.1\.1/s,
    );
    const json = run('--features', join(dir, 'f'), '--exclusions', join(dir, 'none.yaml'), '--json');
    const parsed = JSON.parse(json.stdout) as {
      versions: Array<{ version: string; covered: number; coveredStatements: Record<string, string[]> }>;
    };
    expect(parsed.versions.find((v) => v.version === '5.0')!.coveredStatements['MQTT-3.1.0-2']).toHaveLength(1);
  });
});
