/**
 * `mqtt-harness fleet run <scenario>`: runs a fleet scenario (scenarios/fleets/<name>.yaml or a
 * path) against a broker URL or a private embedded broker, prints the checker verdicts, and
 * exits 1 when a guarantee is violated. `fleet check <history.jsonl>` re-checks a saved history
 * (./fleet-check.ts);
 * `fleet list` names the stored scenarios.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { CheckerName } from '../checker/index.ts';
import { didYouMean, EXIT } from '../common/index.ts';
import {
  FleetConfigError,
  findParts,
  fleetDir,
  formatThreshold,
  judgeParts,
  loadFleetScenario,
  openFileLimit,
  parseThreshold,
  runFleetShard,
  UnreachableError,
  type FleetResult,
  type FleetScenario,
} from '../fleet/index.ts';
import { listProfiles, parseDuration } from '../proxy/index.ts';
import { registerCheck } from './fleet-check.ts';

interface RunFlags {
  devices?: number;
  rate?: number;
  duration?: number;
  link?: string;
  broker?: string;
  seed?: number;
  threshold: string[];
  out: string;
  shard?: string;
  workers?: number;
  metricsPort?: number;
  drain?: number;
  json?: boolean;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

function positiveInt(v: string): number {
  if (!/^[1-9][0-9]*$/.test(v)) throw new InvalidArgumentError(`expected a positive integer, got "${v}"`);
  return Number(v);
}

function portArg(v: string): number {
  const n = Number(v);
  if (!/^[0-9]+$/.test(v) || n > 65535) throw new InvalidArgumentError(`expected a port 0..65535, got "${v}"`);
  return n;
}

function rateArg(v: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(?:\/s)?$/.exec(v.trim());
  if (m === null || Number(m[1]) <= 0)
    throw new InvalidArgumentError(`expected connections per second like 2000 or 2000/s, got "${v}"`);
  return Number(m[1]);
}

function durationArg(v: string): number {
  const ms = parseDuration(v);
  if (ms === undefined || ms <= 0)
    throw new InvalidArgumentError(`expected a duration like 120s, 2m or 90000 (ms), got "${v}"`);
  return Math.round(ms);
}

/** "lte" or "flaky-cellular=0.2,lte=0.8" (shares must add up to 1). */
export function linkArg(v: string): string | Record<string, number> {
  if (!v.includes('=') && !v.includes(':')) return v;
  const out: Record<string, number> = {};
  for (const part of v.split(',')) {
    const [k, x] = part.split(/[=:]/).map((y) => y.trim());
    const n = Number(x);
    if (!k || !Number.isFinite(n) || n < 0 || n > 1)
      throw new Error(`--link: "${part}" is not profile=share (share 0..1)`);
    out[k] = n;
  }
  const sum = Object.values(out).reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-6) throw new Error(`--link: shares add up to ${sum}, not 1`);
  return out;
}

/** --shard i/n, else JOB_COMPLETION_INDEX / JOB_COMPLETIONS (Kubernetes Indexed Jobs), else 0/1. */
export function shardArg(v: string | undefined, env: NodeJS.ProcessEnv): { index: number; count: number } {
  const raw =
    v ?? (env.JOB_COMPLETION_INDEX !== undefined ? `${env.JOB_COMPLETION_INDEX}/${env.JOB_COMPLETIONS ?? ''}` : '0/1');
  const m = /^([0-9]+)\/([1-9][0-9]*)$/.exec(raw);
  if (m === null || Number(m[1]) >= Number(m[2])) {
    throw new Error(
      `${v !== undefined ? '--shard' : 'JOB_COMPLETION_INDEX/JOB_COMPLETIONS'}: expected i/n with 0 <= i < n, got "${raw}"`,
    );
  }
  return { index: Number(m[1]), count: Number(m[2]) };
}

function printResult(r: FleetResult, out: string): void {
  const c = r.counts;
  const ms = (x: number | undefined) => (x === undefined ? '-' : `${x.toFixed(1)}ms`);
  console.log(
    `${r.scenario} (seed ${r.seed}, MQTT ${r.version}): ${r.devices} devices, ${c.published} published, ${c.acknowledged} acknowledged, ` +
      `${c.received} received (${c.distinctReceived} distinct at hubs), ${c.drops} drops, ${c.connects} connects, ${c.connectFailures} connect failures`,
  );
  console.log(
    `latency e2e p50 ${ms(r.latency.e2e?.p50)} p99 ${ms(r.latency.e2e?.p99)} max ${ms(r.latency.e2e?.max)}; connect p50 ${ms(r.latency.connect?.p50)} p99 ${ms(r.latency.connect?.p99)}; ` +
      `peak ${r.peakConnectsPerS} connects/s${r.allConnectedAfterS !== undefined ? `, all ${r.devices} connected after ${r.allConnectedAfterS.toFixed(1)} s` : ', never all connected at once'}; peak RSS ${r.rssPeakMb.sum} MB over ${r.parts} worker(s), ${r.judgeRssMb} MB merging; checks ${(r.checkMs / 1000).toFixed(1)} s over ${r.historyOps} ops`,
  );
  for (const res of r.results) console.log(`  ${res.verdict.padEnd(16)} ${res.summary}`);
  for (const t of r.thresholds) console.log(`  ${formatThreshold(t)}`);
  console.log(r.summary);
  console.log(`report: ${out}/fleet.html`);
}

function seedArg(v: string): number {
  const n = Number(v);
  if (!/^[0-9]+$/.test(v) || n > 0xffffffff)
    throw new InvalidArgumentError(`expected a seed 0..4294967295, got "${v}"`);
  return n;
}

export function register(program: Command): void {
  const fleet = program
    .command('fleet')
    .description('virtual device fleets over fault-injecting links, judged by the guarantee checkers');

  fleet
    .command('run')
    .argument('<scenario>', 'scenario name in scenarios/fleets, or a YAML path')
    .option('--devices <n>', "number of devices (default: the scenario's devices.count)", positiveInt)
    .option('--rate <r>', 'connect ramp in connections per second, e.g. 2000 or 2000/s', rateArg)
    .option('--duration <d>', 'publishing window, e.g. 120s, 2m, 90000 (ms)', durationArg)
    .option('--link <profile>', 'link profile for every device, or a mix: flaky-cellular=0.2,lte=0.8')
    .option(
      '--broker <urls>',
      'broker URL(s), comma-separated (devices are spread over them); default: a private embedded broker',
    )
    .option('--seed <n>', 'override the scenario seed', seedArg)
    .option('--threshold <t>', "k6-style threshold, e.g. 'p99<500ms' (repeatable)", collect, [] as string[])
    .option('--out <dir>', 'output directory (fleet.json, fleet.html, history.jsonl, parts/)', 'reports/fleet')
    .option('--shard <i/n>', 'run shard i of n (default: JOB_COMPLETION_INDEX / JOB_COMPLETIONS)')
    .option(
      '--workers <n>',
      'at least this many worker processes (default: as the open-file limit requires)',
      positiveInt,
    )
    .option('--metrics-port <port>', 'serve Prometheus text on http://127.0.0.1:PORT/metrics (0 = any port)', portArg)
    .option('--drain <d>', 'bound on the drain after the window (default 60s)', durationArg)
    .option('--json', 'print the result as JSON')
    .description('run a fleet scenario at scale, with a live view, thresholds and the guarantee checkers')
    .action(async (name: string, o: RunFlags) => {
      let s: FleetScenario;
      let shard: { index: number; count: number };
      try {
        s = loadFleetScenario(name);
        shard = shardArg(o.shard, process.env);
        const th = o.threshold.map((t) => [t, parseThreshold(t)] as const).filter(([, r]) => typeof r === 'string');
        if (th.length > 0) throw new Error(th.map(([t, r]) => `--threshold ${t}: ${String(r)}`).join('\n'));
        if (o.link !== undefined) {
          const known = listProfiles();
          const l = linkArg(o.link);
          const bad = (typeof l === 'string' ? [l] : Object.keys(l)).filter(
            (n) => n !== 'none' && !/[/\\]|\.ya?ml$/.test(n) && !known.includes(n),
          );
          if (bad.length > 0)
            throw new Error(
              bad
                .map(
                  (n) =>
                    `--link: unknown link profile \`${n}\`${didYouMean(n, known)}; known: none, ${known.join(', ')}`,
                )
                .join('\n'),
            );
        }
      } catch (e) {
        console.error(`mqtt-harness fleet run: ${(e as Error).message}`);
        process.exitCode = EXIT.usage;
        return;
      }
      let close = async (): Promise<void> => {};
      let brokers = o.broker
        ?.split(',')
        .map((x) => x.trim())
        .filter(Boolean);
      if (brokers === undefined) {
        const limit = openFileLimit();
        const n = o.devices ?? s.devices.count;
        if (limit !== undefined && Number.isFinite(limit) && n > limit - 500) {
          console.error(
            `mqtt-harness fleet run: ${n} devices need ${n} connections to the embedded broker, which runs in this process with an open-file limit of ${limit}; start broker processes and pass --broker URL[,URL...] (or raise ulimit -n)`,
          );
          process.exitCode = EXIT.usage;
          return;
        }
        const { startBroker } = await import('../broker/index.ts');
        const b = await startBroker({ host: '127.0.0.1', port: 0 });
        brokers = [b.url];
        close = () => b.close();
      }
      try {
        const { result: r } = await runFleetShard({
          scenario: s,
          brokers,
          out: o.out,
          devices: o.devices,
          rate: o.rate,
          durationMs: o.duration,
          link: o.link === undefined ? undefined : linkArg(o.link),
          seed: o.seed,
          thresholds: [...s.thresholds, ...o.threshold],
          shard,
          workers: o.workers,
          drainMs: o.drain,
          metricsPort: o.metricsPort,
          tty: process.stdout.isTTY === true && !o.json && process.env.CI === undefined,
          print: o.json ? () => {} : (l) => console.log(l),
        });
        if (o.json) console.log(JSON.stringify({ ...r, timeline: undefined }, null, 2));
        else printResult(r, o.out);
        process.exitCode = r.exitCode;
      } catch (e) {
        if (e instanceof UnreachableError) {
          console.error(`mqtt-harness fleet run: inconclusive: ${e.message}`);
          process.exitCode = EXIT.inconclusive;
        } else if (e instanceof FleetConfigError) {
          console.error(`mqtt-harness fleet run: ${e.message}`);
          process.exitCode = EXIT.usage;
        } else throw e;
      } finally {
        await close();
      }
    });

  fleet
    .command('merge')
    .argument('<dirs...>', 'output directories of the shards (each with parts/*/part.json)')
    .option('--out <dir>', 'where to write the merged fleet.json, fleet.html and history.jsonl', 'reports/fleet-merged')
    .option('--scenario <name>', 'scenario whose checks and thresholds to apply (default: the one the parts name)')
    .option('--threshold <t>', 'extra k6-style threshold (repeatable)', collect, [] as string[])
    .option('--json', 'print the result as JSON')
    .description('merge shard outputs (histograms without loss, histories), then run the checkers on the whole')
    .action((dirs: string[], o: { out: string; scenario?: string; threshold: string[]; json?: boolean }) => {
      let parts: string[];
      let judge: { checks: CheckerName[]; version: '3.1.1' | '5.0'; thresholds: string[] };
      try {
        parts = findParts(dirs);
        const first = JSON.parse(readFileSync(`${parts[0]}/part.json`, 'utf8')) as {
          checks: CheckerName[];
          thresholds: string[];
          version: '3.1.1' | '5.0';
        };
        const s = o.scenario !== undefined ? loadFleetScenario(o.scenario) : undefined;
        judge = {
          checks: s?.checks ?? first.checks,
          version: s?.version ?? first.version,
          thresholds: [...(s?.thresholds ?? first.thresholds), ...o.threshold],
        };
        const bad = o.threshold.map((t) => [t, parseThreshold(t)] as const).filter(([, r]) => typeof r === 'string');
        if (bad.length > 0) throw new Error(bad.map(([t, r]) => `--threshold ${t}: ${String(r)}`).join('\n'));
      } catch (e) {
        console.error(`mqtt-harness fleet merge: ${(e as Error).message}`);
        process.exitCode = EXIT.usage;
        return;
      }
      const r = judgeParts(parts, judge, judge.thresholds, o.out);
      if (o.json) console.log(JSON.stringify({ ...r, timeline: undefined }, null, 2));
      else printResult(r, o.out);
      process.exitCode = r.exitCode;
    });

  registerCheck(fleet);

  fleet
    .command('list')
    .description('list the fleet scenarios in scenarios/fleets')
    .action(() => {
      for (const f of readdirSync(fleetDir)
        .filter((x) => x.endsWith('.yaml'))
        .sort()) {
        const s = loadFleetScenario(f.replace(/\.yaml$/, ''));
        console.log(`${s.name.padEnd(24)} ${s.description.replace(/\s+/g, ' ')}`);
      }
    });
}
