import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestClient, resolveTarget, displayTarget, type TargetConfig } from '../client/index.ts';
import {
  EXIT,
  registerSecrets,
  redactUrl,
  scrubSecrets,
  knownSecrets,
  type InconclusiveCause,
} from '../common/index.ts';
import { buildComplianceReport } from './compliance-report.ts';

/**
 * The conformance run's check before any worker starts, in cucumber's main process (called
 * from cucumber.mjs): bad settings are refused once, with every problem named; an unreachable
 * target, refused credentials or a server that never answers stop the run within ~10 s as
 * inconclusive. Either way every report file is written, saying why: never empty, never a
 * verdict against the broker.
 */
export type PreflightResult =
  | { ok: true; config: TargetConfig }
  | { ok: false; exitCode: 2 | 3; cause: InconclusiveCause | 'config'; message: string };

/** The world parameters a cucumber command line selects: its profiles' (or the default one's), then --world-parameters. */
export function selectedWorldParameters(
  argv: readonly string[],
  profiles: Record<string, { worldParameters?: Record<string, unknown> }>,
): Record<string, unknown> {
  const names: string[] = [];
  const extra: Record<string, unknown>[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (flag: string): string | undefined =>
      a === flag ? argv[++i] : a.startsWith(`${flag}=`) ? a.slice(flag.length + 1) : undefined;
    const p = value('-p') ?? value('--profile');
    if (p !== undefined) names.push(p);
    const w = value('--world-parameters');
    if (w !== undefined) {
      try {
        extra.push(JSON.parse(w) as Record<string, unknown>);
      } catch (e) {
        throw new Error(`--world-parameters is not valid JSON: ${(e as Error).message}`, { cause: e });
      }
    }
  }
  const chosen = names.length > 0 ? names : ['default'];
  return Object.assign({}, ...chosen.map((n) => profiles[n]?.worldParameters ?? {}), ...extra) as Record<
    string,
    unknown
  >;
}

/** Checks the settings and, for a URL target, that it answers a CONNECT with the harness's credentials. */
export async function preflight(
  params: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PreflightResult> {
  let config: TargetConfig;
  try {
    config = resolveTarget(params, env);
  } catch (e) {
    return { ok: false, exitCode: EXIT.usage, cause: 'config', message: (e as Error).message };
  }
  registerSecrets([config.password, config.password2]);
  if (config.broker === 'embedded') {
    const file = config.embeddedConfig ?? 'scenarios/embedded/default.yaml';
    if (file !== 'none') {
      if (!existsSync(file))
        return {
          ok: false,
          exitCode: EXIT.usage,
          cause: 'config',
          message: `embeddedConfig (MQTT_EMBEDDED_CONFIG) = "${file}": no such file ("none" starts a bare broker)`,
        };
      try {
        const { loadConfigFile } = await import('../broker/index.ts');
        await loadConfigFile(file);
      } catch (e) {
        return {
          ok: false,
          exitCode: EXIT.usage,
          cause: 'config',
          message: `embedded broker config: ${(e as Error).message}`,
        };
      }
    }
    return { ok: true, config };
  }
  if (config.broker.startsWith('container:')) {
    const tc = await import('testcontainers');
    try {
      await tc.getContainerRuntimeClient();
    } catch (e) {
      return {
        ok: false,
        exitCode: EXIT.usage,
        cause: 'config',
        message:
          `${config.broker}: no Docker engine: a container target needs a Docker-compatible container engine, and none is reachable here ` +
          `(${(e as Error).message.split('\n')[0]}). Start Docker, or set MQTT_BROKER_URL to a running broker.`,
      };
    }
    return { ok: true, config };
  }
  const problem = await reach(config);
  return problem ? { ok: false, exitCode: EXIT.inconclusive, ...problem } : { ok: true, config };
}

/**
 * Dials the target and sends a CONNECT (3.1.1, then 5.0) with the harness's credentials.
 * Undefined when some version answered with a CONNACK that is not an authentication refusal.
 */
async function reach(config: TargetConfig): Promise<{ cause: InconclusiveCause; message: string } | undefined> {
  const url = displayTarget(config.broker);
  const ms = Math.min(4000, 2500 * config.timeScale);
  const tries: string[] = [];
  for (const level of [4, 5] as const) {
    let c: TestClient | undefined;
    try {
      c = await TestClient.open({
        url,
        connectTimeoutMs: ms,
        caFile: config.caFile,
        insecure: config.insecure,
        name: 'preflight',
      });
    } catch (e) {
      const m = (e as Error).message;
      return {
        cause: /TLS|certificate|handshake/i.test(m) ? 'tls' : 'unreachable',
        message: m.startsWith('cannot reach') ? m : `cannot reach ${url}: ${m}`,
      };
    }
    try {
      const ack = await c.connect(
        {
          level,
          clientId: `${config.clientIdPrefix}mhpre${Date.now() % 100000}`,
          username: config.username,
          password: config.password,
        },
        ms,
      );
      c.send({ type: 'disconnect' });
      const refused =
        level === 4 ? ack.reasonCode === 4 || ack.reasonCode === 5 : ack.reasonCode === 0x86 || ack.reasonCode === 0x87;
      if (refused) {
        const who = config.username === undefined ? 'without credentials' : `as user "${config.username}"`;
        return {
          cause: 'auth-refused',
          message: `${url} refused the harness's credentials ${who} (MQTT ${level === 4 ? '3.1.1' : '5.0'} CONNACK reason code 0x${ack.reasonCode.toString(16).padStart(2, '0')}); set MQTT_USERNAME / MQTT_PASSWORD or user:password@ in the URL`,
        };
      }
      if (ack.reasonCode === 0) return undefined;
      tries.push(
        `MQTT ${level === 4 ? '3.1.1' : '5.0'}: CONNACK reason code 0x${ack.reasonCode.toString(16).padStart(2, '0')}`,
      );
    } catch (e) {
      tries.push(
        `MQTT ${level === 4 ? '3.1.1' : '5.0'}: ${c.closed ? 'closed the connection without a CONNACK' : `no CONNACK within ${ms} ms`}`,
      );
      void e;
    } finally {
      await c.close(300).catch(() => undefined);
    }
  }
  return {
    cause: 'unreachable',
    message: `${url} accepts neither an MQTT 3.1.1 nor an MQTT 5.0 CONNECT from the harness (${tries.join('; ')})`,
  };
}

/** Writes every report file of the run, saying why nothing was judged; no file is left empty. */
export function writeStoppedReports(dir: string, r: Extract<PreflightResult, { ok: false }>, target: string): void {
  mkdirSync(dir, { recursive: true });
  const cause: InconclusiveCause = r.cause === 'config' ? 'harness-error' : r.cause;
  const report = buildComplianceReport({
    outcomes: [],
    tagErrors: [],
    findings: [],
    info: { target: redactUrl(target) },
  });
  report.run =
    r.exitCode === EXIT.inconclusive
      ? { outcome: 'inconclusive', exitCode: EXIT.inconclusive, inconclusive: { cause, message: r.message } }
      : { outcome: 'usage-error', exitCode: EXIT.usage };
  report.harnessErrors = r.exitCode === EXIT.usage ? [`configuration error: ${r.message}`] : [];
  const scrub = (s: string): string => scrubSecrets(s, knownSecrets());
  const esc = (s: string): string =>
    s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);
  const what = r.exitCode === EXIT.usage ? 'Configuration error' : `Inconclusive (${r.cause})`;
  writeFileSync(join(dir, 'compliance.json'), scrub(`${JSON.stringify(report, null, 2)}\n`));
  writeFileSync(
    join(dir, 'junit.xml'),
    scrub(
      `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="mqtt-harness conformance" tests="1" failures="0" errors="1" skipped="0">\n` +
        `  <testcase classname="preflight" name="target ${esc(redactUrl(target))}">\n    <error message="${esc(`${what}: ${r.message}`)}"/>\n  </testcase>\n</testsuite>\n`,
    ),
  );
  writeFileSync(
    join(dir, 'cucumber.html'),
    scrub(
      `<!doctype html><html><head><meta charset="utf-8"><title>mqtt-harness: ${esc(what)}</title></head><body>` +
        `<h1>${esc(what)}</h1><p>Target: ${esc(redactUrl(target))}</p><p>${esc(r.message)}</p><p>No scenario was run, so nothing was judged about the broker.</p></body></html>\n`,
    ),
  );
  const t = { seconds: Math.floor(Date.now() / 1000), nanos: 0 };
  writeFileSync(
    join(dir, 'messages.ndjson'),
    scrub(
      `${JSON.stringify({ testRunStarted: { timestamp: t } })}\n${JSON.stringify({ testRunFinished: { timestamp: t, success: false, message: `${what}: ${r.message}` } })}\n`,
    ),
  );
}
