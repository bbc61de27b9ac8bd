/**
 * `mqtt-harness audit --broker URL`: security posture of a broker, apart from compliance.
 * Prints every check (what was tried, what the broker answered) and the findings by severity;
 * writes DIR/audit.json. Exit 0 when nothing is at or above --fail-on (default medium),
 * 1 when something is, 2 on usage errors, 3 when the target is unreachable.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { formatAudit, runAudit, SEVERITY_ORDER, type AuditOptions, type Severity } from '../audit/index.ts';
import { EXIT } from '../common/exit-codes.ts';
import { redactUrl } from '../common/redact.ts';
import { didYouMean } from '../common/close-match.ts';
import { controlCheck, parseDuration, parseTarget } from '../fuzz/index.ts';
import { progressSink } from './progress-line.ts';

interface Flags {
  broker?: string;
  tlsBroker?: string;
  ca?: string;
  user2?: string;
  denyTopic?: string;
  prefix: string;
  idleWait: string;
  failOn: string;
  out: string;
  json?: boolean;
}

const SEVERITIES = ['info', 'low', 'medium', 'high'];

export function auditOptions(f: Flags): { opts: AuditOptions; failOn: Severity } {
  const errors: string[] = [];
  let opts: AuditOptions | undefined;
  if (!f.broker) errors.push('--broker URL is required (mqtt://[user:pass@]host:port)');
  else {
    try {
      const t = parseTarget(f.broker);
      opts = { endpoint: { host: t.host, port: t.port }, identity: { username: t.username, password: t.password } };
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  if (f.tlsBroker) {
    const m = /^mqtts:\/\/([^:/]+|\[[^\]]+\]):(\d+)\/?$/.exec(f.tlsBroker);
    if (!m) errors.push(`--tls-broker: expected mqtts://host:port, got "${f.tlsBroker}"`);
    else if (opts) {
      let ca: Buffer | undefined;
      if (f.ca) {
        try {
          ca = readFileSync(f.ca);
        } catch (e) {
          errors.push(`--ca: cannot read ${f.ca}: ${(e as Error).message}`);
        }
      }
      opts.tlsEndpoint = { host: m[1].replace(/^\[|\]$/g, ''), port: Number(m[2]), ca };
    }
  }
  if (f.user2 && opts) {
    const i = f.user2.indexOf(':');
    opts.identity2 =
      i < 0 ? { username: f.user2 } : { username: f.user2.slice(0, i), password: Buffer.from(f.user2.slice(i + 1)) };
  }
  if (f.denyTopic && /[+#]/.test(f.denyTopic))
    errors.push(`--deny-topic: a topic name without wildcards, got "${f.denyTopic}"`);
  if (opts && f.denyTopic) opts.denyTopic = f.denyTopic;
  if (/[+#]/.test(f.prefix) || f.prefix === '') errors.push(`--prefix: a topic without wildcards, got "${f.prefix}"`);
  else if (opts) opts.prefix = f.prefix.replace(/\/+$/, '');
  try {
    if (opts) opts.idleWaitMs = parseDuration(f.idleWait);
  } catch (e) {
    errors.push(`--idle-wait: ${(e as Error).message}`);
  }
  if (!SEVERITIES.includes(f.failOn))
    errors.push(
      `--fail-on: expected one of ${SEVERITIES.join(', ')}, got "${f.failOn}"${didYouMean(f.failOn, SEVERITIES)}`,
    );
  if (errors.length > 0) throw new Error(errors.join('\n'));
  return { opts: opts!, failOn: f.failOn as Severity };
}

export function register(program: Command): void {
  program
    .command('audit')
    .description('security audit of a broker (anonymous access, ACL bypasses, TLS, limits); apart from compliance')
    .option('--broker <url>', 'plaintext listener, mqtt://[user:pass@]host:port; the user is the unprivileged identity')
    .option('--tls-broker <url>', 'TLS listener of the same broker, mqtts://host:port')
    .option('--ca <file>', 'CA (PEM) to verify the TLS certificate with (default: system CAs)')
    .option('--user2 <user:pass>', 'a second, different identity (client-id takeover)')
    .option(
      '--deny-topic <topic>',
      'a topic the identity may neither read nor write (default: a fresh audit/forbidden/... topic)',
    )
    .option('--prefix <topic>', 'topic prefix the identity may publish and subscribe under, for the probes', 'audit')
    .option('--idle-wait <duration>', 'how long a socket without CONNECT is watched', '15s')
    .option('--fail-on <severity>', 'exit 1 when a finding is at or above: info, low, medium, high', 'medium')
    .option('--out <dir>', 'directory for audit.json', 'reports')
    .option('--json', 'print the report as JSON')
    .action(async (flags: Flags) => {
      let a: ReturnType<typeof auditOptions>;
      try {
        a = auditOptions(flags);
      } catch (e) {
        console.error(`mqtt-harness audit: ${(e as Error).message}`);
        process.exitCode = EXIT.usage;
        return;
      }
      const target = redactUrl(flags.broker!);
      const alive = await controlCheck({ ...a.opts.endpoint }, 4, `audit-probe-${Date.now().toString(36)}`, 3000);
      if (!alive.ok && !alive.refused) {
        console.error(`mqtt-harness audit: inconclusive: target ${target} unreachable: ${alive.detail}`);
        process.exitCode = EXIT.inconclusive;
        return;
      }
      const bar = progressSink('audit');
      const r = await runAudit({ ...a.opts, onProgress: (id, done, total) => bar.update(done / total, id) });
      bar.stop();
      mkdirSync(flags.out, { recursive: true });
      const file = join(flags.out, 'audit.json');
      const doc = { tool: 'mqtt-harness audit', target, tlsTarget: flags.tlsBroker, ...r };
      writeFileSync(file, JSON.stringify(doc, null, 2));
      console.log(flags.json ? JSON.stringify(doc, null, 2) : formatAudit(r, target));
      console.log(`report: ${file}`);
      const bad = r.findings.some((f) => SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[a.failOn]);
      process.exitCode = bad ? EXIT.violations : EXIT.ok;
    });
}
