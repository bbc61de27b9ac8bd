import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComplianceReport } from '../../src/report/index.ts';
import { freePort } from '../../src/report/local-mosquitto.ts';
import { startBroker } from '../../src/broker/index.ts';
import { loadConfigFile } from '../../src/broker/config/index.ts';

interface Run {
  code: number;
  out: string;
  ms: number;
  dir: string;
  report?: ComplianceReport;
}

/** Runs `cucumber-js ARGS` (no MQTT_FEATURES) and reads the compliance report it leaves. */
function cucumber(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'mh-truth-'));
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn('node', ['node_modules/@cucumber/cucumber/bin/cucumber.js', ...args], {
      env: { ...process.env, MQTT_FEATURES: '', MQTT_REPORT_DIR: dir, MQTT_BROKER_URL: '', MQTT_PARALLEL: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.once('exit', (code) => {
      clearTimeout(killer);
      let report: ComplianceReport | undefined;
      try {
        report = JSON.parse(readFileSync(join(dir, 'compliance.json'), 'utf8')) as ComplianceReport;
      } catch {
        report = undefined;
      }
      resolve({ code: code ?? -1, out, ms: Date.now() - t0, dir, report });
    });
  });
}

const failedStatements = (r: ComplianceReport): string[] =>
  r.statements.filter((s) => s.verdict === 'failed').map((s) => s.id);

/** Every report file is there and not empty. */
function expectAllReports(dir: string): void {
  for (const f of ['compliance.json', 'junit.xml', 'cucumber.html', 'messages.ndjson']) {
    expect(statSync(join(dir, f)).size, f).toBeGreaterThan(0);
  }
}

describe("truthful outcomes: the harness's trouble is never the broker's failure", () => {
  let silent: Server;
  let silentPort = 0;
  let authBroker: Awaited<ReturnType<typeof startBroker>>;
  beforeAll(async () => {
    silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    silentPort = (silent.address() as { port: number }).port;
    authBroker = await startBroker({ host: '127.0.0.1', config: loadConfigFile('scenarios/embedded/default.yaml') });
  });
  afterAll(async () => {
    silent?.close();
    await authBroker?.close();
  });

  it('a closed port: exit 3 in under 15 s, one line naming the cause, every report written, no failed statement', async () => {
    const port = await freePort();
    const r = await cucumber(['test/report/fixtures/pass'], { MQTT_BROKER_URL: `mqtt://127.0.0.1:${port}` });
    expect(r.code, r.out).toBe(3);
    expect(r.ms).toBeLessThan(15_000);
    expect(r.out).toMatch(/inconclusive \(unreachable\)/);
    expectAllReports(r.dir);
    expect(failedStatements(r.report!)).toEqual([]);
    expect(r.report!.run).toMatchObject({
      outcome: 'inconclusive',
      exitCode: 3,
      inconclusive: { cause: 'unreachable' },
    });
  });

  it('wrong credentials: exit 3, cause auth-refused, the password masked', async () => {
    const url = authBroker.urls.find((u) => u.startsWith('mqtt://'))!.replace('mqtt://', 'mqtt://mh-user1:WRONGpass@');
    const r = await cucumber(['test/report/fixtures/pass'], { MQTT_BROKER_URL: url });
    expect(r.code, r.out).toBe(3);
    expect(r.report!.run.inconclusive?.cause).toBe('auth-refused');
    expect(failedStatements(r.report!)).toEqual([]);
    expect(r.out).not.toContain('WRONGpass');
    for (const f of readdirSync(r.dir)) expect(readFileSync(join(r.dir, f), 'utf8'), f).not.toContain('WRONGpass');
  });

  it('a server that accepts TCP and never answers: exit 3 in under 15 s', async () => {
    const r = await cucumber(['test/report/fixtures/pass'], { MQTT_BROKER_URL: `mqtt://127.0.0.1:${silentPort}` });
    expect(r.code, r.out).toBe(3);
    expect(r.ms).toBeLessThan(15_000);
    expect(r.out).toMatch(/accepts neither an MQTT 3\.1\.1 nor an MQTT 5\.0 CONNECT.*no CONNACK within/);
    expect(failedStatements(r.report!)).toEqual([]);
  });

  it('a broker that refuses both versions (CONNACK 0x01) is inconclusive, not a compliant run of not-applicable scenarios', async () => {
    const refusing = createServer((sock) => {
      sock.once('data', () => sock.end(Buffer.from('20020001', 'hex')));
      sock.on('error', () => undefined);
    });
    await new Promise<void>((res) => refusing.listen(0, '127.0.0.1', () => res()));
    try {
      const r = await cucumber(['test/report/fixtures/pass'], {
        MQTT_BROKER_URL: `mqtt://127.0.0.1:${(refusing.address() as { port: number }).port}`,
      });
      expect(r.code, r.out).toBe(3);
      expect(r.out).toMatch(/accepts neither an MQTT 3\.1\.1 nor an MQTT 5\.0 CONNECT/);
      expect(r.report!.run.outcome).toBe('inconclusive');
    } finally {
      refusing.close();
    }
  });

  it('a bad URL scheme: exit 2, one clear error naming the setting and what is accepted, printed once, reports written', async () => {
    const r = await cucumber(['test/report/fixtures/pass'], { MQTT_BROKER_URL: 'foo://x', MQTT_PARALLEL: '4' });
    expect(r.code, r.out).toBe(2);
    expect(r.out.match(/configuration error/g)).toHaveLength(1);
    expect(r.out).toMatch(
      /MQTT_BROKER_URL.*accepted: embedded, container:<image>, or a URL with scheme mqtt, mqtts, ws or wss/,
    );
    expect(r.out).not.toMatch(/\n\s+at /);
    expectAllReports(r.dir);
  });

  it('every bad setting is named at once, with a close match for a typo', async () => {
    const r = await cucumber(['test/report/fixtures/pass', '--world-parameters', '{"timeScal":2}'], {
      MQTT_TIME_SCALE: 'fast',
    });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/unknown world parameter "timeScal" \(did you mean `timeScale`\?\)/);
    expect(r.out).toMatch(/timeScale \(MQTT_TIME_SCALE\) must be a number/);
  });

  it("a path argument runs only that folder's scenarios (cucumber supplies its default paths otherwise)", async () => {
    const r = await cucumber(['test/report/fixtures/pass', '--name', 'a passing MUST scenario']);
    expect(r.code, r.out).toBe(0);
    expect(r.report!.scenarioResults.map((o) => o.name)).toEqual(['a passing MUST scenario']);
    expect(r.report!.scenarioResults.every((o) => o.where.startsWith('test/report/fixtures/pass/'))).toBe(true);
  });

  it('no report file contains a password used in the run, even with a failed scenario and its trace', async () => {
    const creds = readFileSync('scenarios/embedded/default.credentials.yaml', 'utf8');
    const secrets = [...creds.matchAll(/^password2?: (.+)$/gm)].map((m) => m[1].trim());
    expect(secrets.length).toBe(2);
    const r = await cucumber(['test/report/fixtures/fail']);
    expect(r.code, r.out).toBe(1);
    const files = readdirSync(r.dir);
    expect(files.length).toBeGreaterThanOrEqual(4);
    const all = files.map((f) => readFileSync(join(r.dir, f), 'utf8')).join('\n') + r.out;
    expect(all).toContain('Packet trace');
    expect(all).toContain('password=<redacted');
    for (const s of secrets) {
      expect(all).not.toContain(s);
      expect(all).not.toContain(Buffer.from(s).toString('hex'));
    }
  });
});
