/** Steps of features/security (@audit): run `runAudit` against private brokers the steps start. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { After, Given, Then, When } from '@cucumber/cucumber';
import { silentLogger, startBroker } from '../src/broker/index.ts';
import { formatAudit, runAudit, SEVERITY_ORDER, type AuditReport, type Identity } from '../src/audit/index.ts';
import { MOSQUITTO_BIN, startLocalMosquitto } from '../src/report/local-mosquitto.ts';

interface AuditState {
  port?: number;
  stop?: () => Promise<void>;
  report?: AuditReport;
  password?: string;
}
const state = new WeakMap<object, AuditState>();
const st = (w: object): AuditState => {
  let s = state.get(w);
  if (!s) state.set(w, (s = {}));
  return s;
};
const root = join(import.meta.dirname, '..');
const small = { idleWaitMs: 11_000, subscriptionProbe: 2000, queueProbe: 1500, oversizeBytes: 4 * 1024 * 1024 };

After({ tags: '@audit' }, async function (this: object) {
  await st(this).stop?.();
});

Given('a private reference broker with the hardened example config', async function (this: object) {
  const b = await startBroker({
    config: join(root, 'scenarios/broker.example.yaml'),
    port: 0,
    persistence: 'memory',
    sysIntervalMs: 0,
    logger: silentLogger,
  });
  Object.assign(st(this), { port: b.port, stop: () => b.close() });
});

Given('a private mosquitto with allow_anonymous true', async function (this: object) {
  if (!existsSync(MOSQUITTO_BIN)) return 'skipped'; // not applicable: /usr/sbin/mosquitto is not installed
  const m = await startLocalMosquitto();
  Object.assign(st(this), { port: m.port, stop: () => m.stop() });
  return undefined;
});

async function audit(w: object, identity: Identity, prefix?: string): Promise<void> {
  const s = st(w);
  s.report = await runAudit({
    endpoint: { host: '127.0.0.1', port: s.port! },
    identity,
    prefix,
    ...small,
    idleWaitMs: prefix ? 11_000 : 2000,
  });
}

When(
  'the security audit runs as {string} with password {string} and topic prefix {string}',
  { timeout: 90_000 },
  async function (this: object, user: string, password: string, prefix: string) {
    st(this).password = password;
    await audit(this, { username: user, password: Buffer.from(password) }, prefix);
  },
);

When('the security audit runs anonymously', { timeout: 90_000 }, async function (this: object) {
  await audit(this, {});
});

const text = (w: object): string => formatAudit(st(w).report!, 'private broker');

Then('the audit finds nothing above low', function (this: object) {
  const above = st(this).report!.findings.filter((f) => SEVERITY_ORDER[f.severity] > SEVERITY_ORDER.low);
  if (above.length > 0) throw new Error(`findings above low:\n${text(this)}`);
});

Then('the audit finds {string} with severity {word}', function (this: object, id: string, severity: string) {
  const f = st(this).report!.findings.find((x) => x.id === id);
  if (!f || f.severity !== severity) throw new Error(`expected finding ${id} (${severity}):\n${text(this)}`);
});

Then('the audit check {string} is {word}', function (this: object, id: string, verdict: string) {
  const c = st(this).report!.checks.find((x) => x.id === id);
  if (!c || c.verdict !== verdict) throw new Error(`expected ${id} ${verdict}:\n${text(this)}`);
});

Then('the audit report does not contain the password', function (this: object) {
  const pw = st(this).password!;
  if ((JSON.stringify(st(this).report) + text(this)).includes(pw))
    throw new Error('the audit report contains the password');
});
