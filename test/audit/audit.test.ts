/**
 * The audit against Debian mosquitto with allow_anonymous true (expected findings in a fixture)
 * and against the reference broker with the hardened example config (nothing above low).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger, startBroker } from '../../src/broker/index.ts';
import { formatAudit, runAudit, SEVERITY_ORDER } from '../../src/audit/index.ts';
import { MOSQUITTO_BIN, startLocalMosquitto } from '../../src/report/local-mosquitto.ts';

const root = join(import.meta.dirname, '../..');
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});
const small = { idleWaitMs: 3000, subscriptionProbe: 2000, queueProbe: 1500, oversizeBytes: 4 * 1024 * 1024 };

describe('security audit', () => {
  it.skipIf(!existsSync(MOSQUITTO_BIN))(
    "mosquitto 2.0.11 with allow_anonymous true: the fixture's findings, exactly (skipped when /usr/sbin/mosquitto is not installed)",
    async () => {
      const m = await startLocalMosquitto();
      cleanups.push(() => m.stop());
      const r = await runAudit({ endpoint: { host: '127.0.0.1', port: m.port }, identity: {}, ...small });
      const fixture = parse(
        readFileSync(join(import.meta.dirname, 'fixtures/mosquitto-2.0.11-anonymous.yaml'), 'utf8'),
      ) as { findings: { id: string; severity: string }[] };
      const got = r.findings.map((f) => ({ id: f.id, severity: f.severity })).sort((a, b) => a.id.localeCompare(b.id));
      expect(got, formatAudit(r, m.url)).toEqual([...fixture.findings].sort((a, b) => a.id.localeCompare(b.id)));
      expect(r.highest).toBe('high');
    },
    90_000,
  );

  it('the reference broker with the hardened example config: nothing above low, and no password in the report', async () => {
    const b = await startBroker({
      config: join(root, 'scenarios/broker.example.yaml'),
      port: 0,
      persistence: 'memory',
      sysIntervalMs: 0,
      logger: silentLogger,
    });
    cleanups.push(() => b.close());
    const r = await runAudit({
      endpoint: { host: '127.0.0.1', port: b.port },
      identity: { username: 'alice', password: Buffer.from('secret') },
      prefix: 'sensors/audit',
      ...small,
      idleWaitMs: 11_000,
    });
    const text = formatAudit(r, 'mqtt://alice:***@127.0.0.1');
    expect(
      r.findings.filter((f) => SEVERITY_ORDER[f.severity] > SEVERITY_ORDER.low),
      text,
    ).toEqual([]);
    const byId = new Map(r.checks.map((c) => [c.id, c]));
    expect(byId.get('anonymous-access')?.verdict).toBe('passed');
    expect(byId.get('hash-readable')?.verdict).toBe('passed');
    expect(byId.get('oversized-packet')?.verdict).toBe('passed');
    expect(byId.get('idle-no-connect')?.verdict).toBe('passed');
    expect(byId.get('unlimited-subscriptions')?.answer).toMatch(/limited: 1000 granted/);
    expect(JSON.stringify(r) + text).not.toContain('secret');
  }, 90_000);
});
