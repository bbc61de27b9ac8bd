/**
 * `mqtt-harness fuzz --broker URL`: grammar-aware, byte-level and wrong-state fuzzing of a broker.
 * Checks reachability first (exit 3), prints the seed, shows progress, writes DIR/fuzz.json and
 * prints each finding as hex and as a Gherkin scenario. Exit 0 nothing found, 1 findings, 2 usage.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { EXIT } from '../common/exit-codes.ts';
import { redactUrl } from '../common/redact.ts';
import { controlCheck, parseDuration, parseTarget, runFuzz, type FuzzLevel, type FuzzResult } from '../fuzz/index.ts';
import { progressSink } from './progress-line.ts';

interface Flags {
  broker?: string;
  frames: string;
  seed?: string;
  version: string;
  budget: string;
  out: string;
  concurrency: string;
  chain: string;
  json?: boolean;
}

function usage(errors: string[]): never {
  throw Object.assign(new Error(errors.join('\n')), { usage: true });
}

export function parseFuzzFlags(f: Flags): {
  url: string;
  frames: number;
  seed: number;
  versions: FuzzLevel[];
  budgetMs: number;
  out: string;
  concurrency: number;
  maxChain: number;
} {
  const errors: string[] = [];
  if (!f.broker) errors.push('--broker URL is required (e.g. mqtt://127.0.0.1:1883)');
  else {
    try {
      parseTarget(f.broker);
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  const frames = Number(f.frames);
  if (!/^[1-9][0-9]*$/.test(f.frames)) errors.push(`--frames: expected a positive integer, got "${f.frames}"`);
  let seed = Math.floor(Math.random() * 0xffffffff) >>> 0;
  if (f.seed !== undefined) {
    if (!/^[0-9]+$/.test(f.seed) || Number(f.seed) > 0xffffffff)
      errors.push(`--seed: expected 0..4294967295, got "${f.seed}"`);
    else seed = Number(f.seed);
  }
  const versions: FuzzLevel[] | undefined =
    f.version === '3.1.1'
      ? [4]
      : f.version === '5.0' || f.version === '5'
        ? [5]
        : f.version === 'both'
          ? [4, 5]
          : undefined;
  if (!versions) errors.push(`--version: expected 3.1.1, 5.0 or both, got "${f.version}"`);
  let budgetMs = 0;
  try {
    budgetMs = parseDuration(f.budget);
  } catch (e) {
    errors.push(`--budget: ${(e as Error).message}`);
  }
  const concurrency = Number(f.concurrency);
  if (!/^[1-9][0-9]*$/.test(f.concurrency) || concurrency > 2000)
    errors.push(`--concurrency: expected 1..2000, got "${f.concurrency}"`);
  const maxChain = Number(f.chain);
  if (!/^[1-9][0-9]*$/.test(f.chain) || maxChain > 64) errors.push(`--chain: expected 1..64, got "${f.chain}"`);
  if (errors.length > 0) usage(errors);
  return { url: f.broker!, frames, seed, versions: versions!, budgetMs, out: f.out, concurrency, maxChain };
}

export function printResult(r: FuzzResult, log: (s: string) => void): void {
  log(
    `fuzz: seed ${r.seed}, MQTT ${r.versions.join(' + ')}: ${r.framesSent} frames in ${r.cases} cases on ${r.connections} connections, ${(r.elapsedMs / 1000).toFixed(1)} s, ` +
      `${Math.round(r.framesPerSecond)} frames/s, ${r.controlChecks} control checks`,
  );
  log(
    `outcomes: ${Object.entries(r.outcomes)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  const families = new Map<string, number>();
  for (const [m, n] of Object.entries(r.tried)) families.set(m.split(':')[0], (families.get(m.split(':')[0]) ?? 0) + n);
  log(
    `tried: ${[...families].map(([k, v]) => `${k} ${v}`).join(', ')} (${Object.keys(r.tried).length} mutation kinds; see fuzz.json)`,
  );
  for (const a of r.advisories)
    log(`advisory: ${a.expected} -> ${a.observed} (${a.statements.join(', ')}; ${a.occurrences}x)`);
  for (const f of r.findings) {
    log(
      `\nFINDING ${f.kind} [${f.statements.join(', ') || 'no statement'}] MQTT ${f.version}, case ${f.caseIndex} (${f.mutation}), seen ${f.occurrences}x`,
    );
    log(`  expected: ${f.expected}\n  observed: ${f.observed}`);
    log(`  minimal frames (${f.hex.length} of ${f.originalFrames}, ${f.shrinkAttempts} shrink replays):`);
    for (const h of f.hex) log(`  ${h}`);
    log(f.gherkin);
  }
  if (r.stoppedBecause) log(`stopped: ${r.stoppedBecause}`);
  log(
    r.findings.length === 0
      ? `no findings (seed ${r.seed})`
      : `${r.findings.length} finding(s); replay with --seed ${r.seed}`,
  );
}

export function register(program: Command): void {
  program
    .command('fuzz')
    .description('fuzz a broker (grammar-aware, byte-level, wrong-state); shrinks findings to minimal frames')
    .option('--broker <url>', 'target, mqtt://[user:pass@]host:port')
    .option('--frames <n>', 'stop after this many frames', '100000')
    .option('--seed <n>', 'seed (default: random, printed)')
    .option('--version <v>', '3.1.1, 5.0 or both', 'both')
    .option('--budget <duration>', 'time budget (10m, 90s, 1h)', '10m')
    .option('--out <dir>', 'directory for fuzz.json', 'reports')
    .option('--concurrency <n>', 'fuzz connections in flight', '64')
    .option('--chain <n>', 'valid cases that may share one connection (1: a connection per case)', '8')
    .option('--json', 'print the result as JSON')
    .action(async (flags: Flags) => {
      let o: ReturnType<typeof parseFuzzFlags>;
      try {
        o = parseFuzzFlags(flags);
      } catch (e) {
        console.error(`mqtt-harness fuzz: ${(e as Error).message}`);
        process.exitCode = EXIT.usage;
        return;
      }
      const target = parseTarget(o.url);
      console.error(`fuzz: target ${redactUrl(o.url)}, seed ${o.seed}`);
      const alive = await controlCheck(target, o.versions[0], `fz-probe-${o.seed.toString(36)}`, 3000);
      if (!alive.ok) {
        console.error(
          `mqtt-harness fuzz: inconclusive: target ${redactUrl(o.url)} ${alive.refused ? 'refused the harness' : 'unreachable'}: ${alive.detail}`,
        );
        process.exitCode = EXIT.inconclusive;
        return;
      }
      const bar = progressSink('fuzz');
      const r = await runFuzz({
        target,
        seed: o.seed,
        versions: o.versions,
        frames: o.frames,
        budgetMs: o.budgetMs,
        concurrency: o.concurrency,
        maxChain: o.maxChain,
        onProgress: (p) =>
          bar.update(
            Math.max(p.framesSent / o.frames, p.elapsedMs / o.budgetMs),
            `${p.framesSent} frames, ${Math.round(p.framesPerSecond)} frames/s, ${p.findings} findings`,
          ),
      });
      bar.stop();
      mkdirSync(o.out, { recursive: true });
      const file = join(o.out, 'fuzz.json');
      const verdict = r.findings.length > 0 ? 'failed' : 'passed';
      writeFileSync(
        file,
        JSON.stringify({ tool: 'mqtt-harness fuzz', target: redactUrl(o.url), verdict, ...r }, null, 2),
      );
      if (flags.json) console.log(JSON.stringify({ target: redactUrl(o.url), verdict, ...r }, null, 2));
      else printResult(r, (s) => console.log(s));
      console.log(`report: ${file}`);
      process.exitCode = r.findings.length > 0 ? EXIT.violations : EXIT.ok;
    });
}
