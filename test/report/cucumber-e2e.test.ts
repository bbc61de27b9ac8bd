import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComplianceReport } from '../../src/report/index.ts';
import { startLocalMosquitto, type LocalMosquitto } from '../../src/report/local-mosquitto.ts';

// The verdict-policy runs use mosquitto 2.0.11 as a known, stable target, so they test the
// harness and not the embedded broker (which has its own run below).
let mosquitto: LocalMosquitto;
beforeAll(async () => {
  mosquitto = await startLocalMosquitto();
});
afterAll(async () => {
  await mosquitto?.stop();
});

/** Runs `cucumber-js` on fixture features; resolves with exit code, output and the compliance report. */
function runCucumber(
  features: string,
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; report?: ComplianceReport }> {
  const dir = mkdtempSync(join(tmpdir(), 'mh-cuke-'));
  return new Promise((resolve) => {
    const child = spawn('node', ['node_modules/@cucumber/cucumber/bin/cucumber.js'], {
      env: {
        ...process.env,
        MQTT_FEATURES: features,
        MQTT_REPORT_DIR: dir,
        MQTT_BROKER_URL: '',
        MQTT_PARALLEL: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('exit', (code) => {
      clearTimeout(killer);
      let report: ComplianceReport | undefined;
      try {
        report = JSON.parse(readFileSync(join(dir, 'compliance.json'), 'utf8')) as ComplianceReport;
      } catch {
        report = undefined;
      }
      resolve({ code: code ?? 1, out, report });
    });
  });
}

const verdictOf = (r: ComplianceReport, version: string, id: string): string =>
  r.statements.find((s) => s.version === version && s.id === id)!.verdict;

describe('cucumber run: verdicts and exit codes', () => {
  it('starts the embedded reference broker when no target is given', async () => {
    const r = await runCucumber('test/report/fixtures/pass');
    expect(r.out).toContain('Compliance of embedded reference broker (mqtt://127.0.0.1:');
    expect(r.report?.target).toMatch(/^embedded reference broker/);
  });

  it('exits 0 with a passed MUST, an advisory finding and a not-applicable scenario', async () => {
    const r = await runCucumber('test/report/fixtures/pass', { MQTT_BROKER_URL: mosquitto.url });
    expect(r.out).toContain(`Compliance of ${mosquitto.url}`);
    expect(r.code, r.out).toBe(0);
    expect(verdictOf(r.report!, '5.0', 'MQTT-3.12.4-1')).toBe('passed');
    expect(verdictOf(r.report!, '5.0', 'MQTT-3.3.1-2')).toBe('advisory');
    expect(r.report!.advisoryFindings.map((o) => o.name)).toEqual(['a failing advisory scenario']);
    expect(r.report!.advisoryFindings[0].detail).toContain('no PUBLISH');
    expect(verdictOf(r.report!, '3.1.1', 'MQTT-3.3.2-2')).toBe('not-applicable');
    expect(r.report!.capabilities?.['5.0'].supported).toBe(true);
    expect(r.report!.capabilities?.['3.1.1'].topicAliasMaximum).toBe(0);
    const second = r.report!.statements.find((s) => s.version === '5.0' && s.id === 'MQTT-3.1.4-2')!;
    expect(second.verdict).toBe('not-applicable');
    expect(second.details!.join()).toContain('second identity');
  });

  it('exits 1 on a failed MUST scenario, with the packet trace as evidence, and on a bad tag', async () => {
    const r = await runCucumber('test/report/fixtures/fail', { MQTT_BROKER_URL: mosquitto.url });
    expect(r.code).toBe(1);
    expect(verdictOf(r.report!, '3.1.1', 'MQTT-3.3.4-1')).toBe('failed');
    const evidence = r
      .report!.statements.find((s) => s.version === '3.1.1' && s.id === 'MQTT-3.3.4-1')!
      .details!.join('\n');
    expect(evidence).toContain('no PUBACK packetId=4');
    expect(evidence).toContain('Packet trace');
    expect(r.report!.tagErrors.join('\n')).toMatch(
      /@MQTT-3\.1\.2-30 \(test\/report\/fixtures\/fail\/fail\.feature:\d+\) is not a statement of MQTT 3\.1\.1/,
    );
    // Attribution by step: only the statement of the failing checking step fails.
    expect(verdictOf(r.report!, '3.1.1', 'MQTT-3.12.4-1')).toBe('passed');
    expect(verdictOf(r.report!, '3.1.1', 'MQTT-4.3.2-2')).toBe('failed');
    const deciding = r.report!.statements.find((s) => s.version === '3.1.1' && s.id === 'MQTT-4.3.2-2')!.deciding!;
    expect(deciding.step).toMatch(/receives PUBACK packet id 6 within 300 ms \(line \d+\)/);
    // A failed precondition (the subscription is refused) is inconclusive, never a failure.
    const pre = r.report!.scenarioResults.find((o) => o.name.startsWith('a precondition that fails'))!;
    expect(pre).toMatchObject({ kind: 'inconclusive', cause: 'precondition' });
    expect(verdictOf(r.report!, '3.1.1', 'MQTT-3.8.4-1')).toBe('inconclusive');
  });

  it('runs every generic step of the vocabulary', async () => {
    const r = await runCucumber('test/report/fixtures/vocabulary', { MQTT_BROKER_URL: mosquitto.url });
    expect(r.code, r.out).toBe(0);
    expect(r.report!.scenarios).toMatchObject({ total: 4, passed: 4 });
  });

  it('stops with a clear message and exit 2 when a container target has no container engine', async () => {
    const r = await runCucumber('test/report/fixtures/pass', { MQTT_BROKER_URL: 'container:eclipse-mosquitto:2' });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/no Docker engine/);
    expect(r.out.match(/configuration error/g)).toHaveLength(1);
    expect(r.report!.run).toMatchObject({ outcome: 'usage-error', exitCode: 2 });
  });
});
