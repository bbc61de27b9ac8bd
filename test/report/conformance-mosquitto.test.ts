import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeReport, writeRuns } from './site/fixtures.ts';

/**
 * `npm run conformance:mosquitto -- --reuse` judges the report already in MQTT_REPORT_DIR through
 * the report command's code path: the JUnit, the site and the exit code go where MQTT_REPORT_DIR
 * says, never to reports/mosquitto.
 */
describe('conformance:mosquitto', () => {
  it('honours MQTT_REPORT_DIR and breaks the ratchet (exit 1) on failures the baseline does not list, naming them', () => {
    const dir = writeRuns(mkdtempSync(join(tmpdir(), 'mh-cm-')), {
      run: makeReport(0, { name: 'mosquitto', version: '2.0.11' }, '2026-12-01T00:00:00Z'),
    })[0]!;
    const before = existsSync('reports/mosquitto/expectations-junit.xml')
      ? statSync('reports/mosquitto/expectations-junit.xml').mtimeMs
      : undefined;
    const r = spawnSync('npx', ['tsx', 'src/report/conformance-mosquitto.ts', '--reuse'], {
      encoding: 'utf8',
      timeout: 90_000,
      env: { ...process.env, MQTT_REPORT_DIR: dir },
    });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/\+ NEW FAILURE +features\/f\d\.feature \| checks MQTT-[\d.-]+ \| MQTT (3\.1\.1|5\.0)/);
    expect(r.stdout).toContain('the ratchet is BROKEN');
    const junit = readFileSync(join(dir, 'expectations-junit.xml'), 'utf8');
    expect(junit).toMatch(/<failure message="NEW FAILURE/);
    expect(existsSync(join(dir, 'site', 'index.html'))).toBe(true);
    const after = existsSync('reports/mosquitto/expectations-junit.xml')
      ? statSync('reports/mosquitto/expectations-junit.xml').mtimeMs
      : undefined;
    expect(after).toBe(before);
  }, 120_000);
  it('refuses an unknown option with exit 2', () => {
    const r = spawnSync('npx', ['tsx', 'src/report/conformance-mosquitto.ts', '--updte'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown option(s) --updte (did you mean `--update`?)');
  }, 60_000);
});
