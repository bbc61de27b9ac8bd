/**
 * `mqtt-harness explore --broker URL`: model-based exploration. Generates programs of 2-5
 * clients, runs them against the broker, checks each history against the spec model and, on a
 * violation, shrinks it and prints the seed, the Gherkin, the statements and the packet trace.
 * Exit: 0 nothing found, 1 findings, 2 usage, 3 target unreachable.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { EXIT } from '../common/exit-codes.ts';
import { redactUrl } from '../common/redact.ts';

function seedArg(v: string): number {
  const n = Number(v);
  if (!/^[0-9]+$/.test(v) || n > 0xffffffff)
    throw new InvalidArgumentError(`expected a seed 0..4294967295, got "${v}"`);
  return n;
}
function intArg(lo: number, hi: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!/^[0-9]+$/.test(v) || n < lo || n > hi)
      throw new InvalidArgumentError(`expected an integer ${lo}..${hi}, got "${v}"`);
    return n;
  };
}
function budgetArg(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(v.trim());
  if (!m) throw new InvalidArgumentError(`expected a duration like 60s, 500ms or 2m, got "${v}"`);
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
}
function versionArg(v: string): '3.1.1' | '5.0' {
  if (v === '3.1.1' || v === '4') return '3.1.1';
  if (v === '5' || v === '5.0') return '5.0';
  throw new InvalidArgumentError(`expected 3.1.1 or 5.0, got "${v}"`);
}

interface Opts {
  broker: string;
  version: '3.1.1' | '5.0';
  runs?: number;
  budget?: number;
  seed?: number;
  clients: number;
  maxBurst: number;
  ignore?: string[];
  replay?: number;
  replayPath?: string;
  out: string;
  stepTimeout: number;
  settle: number;
}

export function register(program: Command): void {
  program
    .command('explore')
    .description(
      'model-based exploration: generated multi-client programs checked against the spec model, shrunk to a minimal Gherkin scenario',
    )
    .requiredOption('--broker <url>', 'broker to explore (mqtt://[user:pass@]host:port)')
    .option('--version <v>', 'MQTT version: 3.1.1 or 5.0', versionArg, '3.1.1' as const)
    .option('--runs <n>', 'programs to run (default 100 unless --budget)', intArg(1, 10_000_000))
    .option('--budget <duration>', 'time budget, e.g. 60s', budgetArg)
    .option('--seed <n>', 'seed (default: random, printed)', seedArg)
    .option('--clients <n>', 'maximum clients per program, 2..5', intArg(2, 5), 3)
    .option('--max-burst <n>', 'largest burst of messages sent without waiting, 1..300', intArg(1, 300), 300)
    .option(
      '--ignore <ids>',
      'known deviations: comma-separated statement IDs whose findings do not count',
      (v: string) =>
        v
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
    )
    .option('--replay <seed>', 'reproduce the run of this seed', seedArg)
    .option(
      '--replay-path <path>',
      'with --replay: run only the shrunk program at this fast-check path (printed with each finding)',
    )
    .option('--out <dir>', 'report directory', 'reports')
    .option(
      '--settle <ms>',
      'at the end of a program, wait this long without progress for owed deliveries',
      intArg(10, 60_000),
      600,
    )
    .option('--step-timeout <ms>', 'bound on each wait for the broker', intArg(50, 60_000), 1000)
    .exitOverride((err) => {
      process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.usage);
    })
    .action(async (o: Opts) => {
      process.exitCode = await runExplore(o);
    });
}

async function runExplore(o: Opts): Promise<number> {
  const { parseBrokerUrl, TestClient } = await import('../client/index.ts');
  const shown = redactUrl(o.broker);
  let target: { url: string; username?: string; password?: string };
  try {
    const a = parseBrokerUrl(o.broker) as unknown as { username?: string; password?: string };
    const u = new URL(o.broker);
    target = {
      url: o.broker,
      username: a.username ?? (u.username ? decodeURIComponent(u.username) : undefined),
      password: a.password ?? (u.password ? decodeURIComponent(u.password) : undefined),
    };
  } catch (e) {
    console.error(`explore: --broker ${shown}: ${(e as Error).message}`);
    return EXIT.usage;
  }
  // Reachability first, within a few seconds.
  try {
    const c = await TestClient.open({ url: o.broker, name: 'probe', connectTimeoutMs: 3000 });
    c.destroy();
  } catch (e) {
    console.error(
      `explore: inconclusive: the target ${shown} could not be reached (${(e as Error).message.replaceAll(o.broker, shown)})`,
    );
    return EXIT.inconclusive;
  }
  const { explore, formatFinding } = await import('../explore/index.ts');
  const seed = o.replay ?? o.seed ?? Math.floor(Math.random() * 0xffffffff) >>> 0;
  const runs = o.runs ?? (o.budget !== undefined ? 10_000_000 : 100);
  console.log(
    `explore: ${shown}, MQTT ${o.version}, seed ${seed}, ${o.budget !== undefined ? `budget ${o.budget / 1000} s` : `${runs} programs`}, up to ${o.clients} clients`,
  );
  const tty = process.stdout.isTTY === true;
  let bar: { update(n: number, p: Record<string, unknown>): void; stop(): void } | undefined;
  let lastLine = performance.now();
  if (tty) {
    const { SingleBar, Presets } = (await import('cli-progress')).default;
    const b = new SingleBar(
      { format: 'explore |{bar}| {value} programs | {rate}/s | findings {findings}', hideCursor: true },
      Presets.shades_classic,
    );
    b.start(o.budget !== undefined ? Math.max(1, Math.round(o.budget / 1000)) * 50 : runs, 0, {
      rate: '0',
      findings: 0,
    });
    bar = b;
  }
  const r = await explore({
    target,
    version: o.version,
    seed,
    runs,
    budgetMs: o.budget,
    maxClients: o.clients,
    maxBurst: o.maxBurst,
    path: o.replay !== undefined ? o.replayPath : undefined,
    ignore: o.ignore,
    stepTimeoutMs: o.stepTimeout,
    settleMs: o.settle,
    onProgram: (s) => {
      const rate = (s.programs / Math.max(0.001, s.elapsedMs / 1000)).toFixed(1);
      if (bar) bar.update(s.programs, { rate, findings: s.findings });
      else if (performance.now() - lastLine >= 5000) {
        lastLine = performance.now();
        console.log(`explore: ${s.programs} programs, ${rate} programs/s, findings ${s.findings}`);
      }
    },
  });
  bar?.stop();
  const rate = r.programs / Math.max(0.001, r.elapsedMs / 1000);
  for (const f of r.findings) console.log(`\n${formatFinding(f)}`);
  if (r.ignoredPrograms > 0)
    console.log(`\nprograms with only ignored (known) deviations of ${o.ignore?.join(', ')}: ${r.ignoredPrograms}`);
  if (r.harnessTrouble.length > 0)
    console.log(
      `\nprograms the harness could not run (no verdict on them): ${r.harnessTrouble.length}; first: ${r.harnessTrouble[0]}`,
    );
  mkdirSync(o.out, { recursive: true });
  const file = join(o.out, 'explore.json');
  writeFileSync(
    file,
    JSON.stringify(
      {
        target: shown,
        version: o.version,
        seed,
        programs: r.programs,
        elapsedMs: Math.round(r.elapsedMs),
        programsPerSecond: Number(rate.toFixed(1)),
        outcome: r.findings.length > 0 ? 'failed' : 'passed',
        findings: r.findings.map((f) => ({ origin: 'explored', ...f })),
        harnessTrouble: r.harnessTrouble,
        ignored: o.ignore ?? [],
        ignoredPrograms: r.ignoredPrograms,
      },
      null,
      2,
    ),
  );
  console.log(
    `\nexplore: ${r.programs} programs in ${(r.elapsedMs / 1000).toFixed(1)} s (${rate.toFixed(1)}/s), ${r.findings.length} finding(s); seed ${seed}; wrote ${file}`,
  );
  return r.findings.length > 0 ? EXIT.violations : EXIT.ok;
}
