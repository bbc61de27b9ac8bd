/**
 * `fleet run` end to end: check the settings and the brokers (an unreachable one is named as
 * given, exit 3), size the workers against the open-file limit and memory, run the shard with
 * the live view, then merge the parts, judge them and write DIR/fleet.json, DIR/fleet.html and
 * DIR/history.jsonl. `fleet merge` reuses the second half for the parts of many shards.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT, redactUrl, sleep } from '../common/index.ts';
import type { FleetScenario } from './fleet-scenario.ts';
import type { RunSettings } from './engine/plan.ts';
import { brokerUrlProblem, plan, portRangeProblem, probeBroker } from './engine/preflight.ts';
import { runParts } from './engine/run-parts.ts';
import { LiveView } from './live/live-view.ts';
import { findParts, mergeAndJudge, type FleetResult } from './results/merge.ts';
import { renderHtml } from './results/report-html.ts';

export class FleetConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FleetConfigError';
  }
}

export interface FleetRunOptions {
  scenario: FleetScenario;
  brokers: string[];
  out: string;
  devices?: number;
  rate?: number;
  durationMs?: number;
  link?: string | Record<string, number>;
  seed?: number;
  thresholds?: string[];
  shard?: { index: number; count: number };
  workers?: number;
  drainMs?: number;
  metricsPort?: number;
  tty?: boolean;
  print?: (line: string) => void;
  runId?: string;
  username?: string;
  password?: string;
}

export async function runFleetShard(o: FleetRunOptions): Promise<{ result: FleetResult; partDirs: string[] }> {
  const print = o.print ?? ((l: string) => console.log(l));
  const problems = o.brokers.map(brokerUrlProblem).filter((p): p is string => p !== undefined);
  if (o.brokers.length === 0) problems.push('no broker URL given');
  if (problems.length > 0) throw new FleetConfigError(problems.join('\n'));
  const sc = o.scenario;
  const level = sc.version === '5.0' ? 5 : 4;
  const shard = o.shard ?? { index: 0, count: 1 };
  const devices = o.devices ?? sc.devices.count;
  const inShard = Math.ceil((devices - shard.index) / shard.count);
  const hubs = o.brokers.length * (sc.subscribers.length + (sc.config || sc.commands ? 1 : 0));
  const cap = plan(inShard, hubs, o.workers ?? 1);
  if (typeof cap === 'string') throw new FleetConfigError(cap);
  const ports = portRangeProblem(Math.ceil(inShard / o.brokers.length));
  if (ports !== undefined) throw new FleetConfigError(ports);
  // Usage errors first (exit 2), then whether the brokers answer (exit 3).
  await Promise.all(o.brokers.map((u) => probeBroker(u, level, 5000, { username: o.username, password: o.password })));
  const seed = o.seed ?? sc.seed;
  const settings: Omit<RunSettings, 'worker'> = {
    scenario: sc,
    devices,
    rate: o.rate ?? sc.devices.ramp_per_s,
    durationMs: o.durationMs ?? sc.duration_ms,
    link: o.link ?? sc.link,
    brokers: o.brokers,
    seed,
    shard,
    runId: o.runId ?? `${sc.name.slice(0, 6)}${seed.toString(36)}${Date.now().toString(36).slice(-5)}`,
    drainMs: o.drainMs ?? 60_000,
    username: o.username,
    password: o.password,
    thresholds: o.thresholds ?? sc.thresholds,
  };
  mkdirSync(o.out, { recursive: true });
  print(
    `fleet ${sc.name}: ${inShard} devices${shard.count > 1 ? ` (shard ${shard.index}/${shard.count} of ${devices})` : ''} over ${cap.workers} worker process(es), ramp ${settings.rate}/s, ${Math.round(settings.durationMs / 1000)} s, seed ${seed}, brokers ${o.brokers.map(redactUrl).join(', ')}`,
  );
  const live = new LiveView({ devices: inShard, durationMs: settings.durationMs, tty: o.tty === true, print });
  if (o.metricsPort !== undefined) print(`metrics on http://127.0.0.1:${await live.serve(o.metricsPort)}/metrics`);
  live.start();
  let partDirs: string[];
  try {
    partDirs = await runParts(settings, o.out, cap.workers, (l) => live.update(l));
  } finally {
    await live.stop();
  }
  // A broker that stopped answering makes whatever stayed open inconclusive, and says so. Right
  // after the run it is still closing the fleet's connections, so it gets three tries in ~30 s.
  const down: string[] = [];
  await Promise.all(
    o.brokers.map(async (u) => {
      for (let k = 0; k < 3; k++) {
        try {
          return await probeBroker(u, level, 10_000, { username: o.username, password: o.password });
        } catch {
          if (k < 2) await sleep(1000);
        }
      }
      down.push(redactUrl(u));
    }),
  );
  const result = judgeParts(partDirs, sc, o.thresholds ?? sc.thresholds, o.out, down);
  return { result, partDirs };
}

/** Merges part directories, judges them and writes the outputs into `out`. */
export function judgeParts(
  partDirs: readonly string[],
  sc: Pick<FleetScenario, 'checks' | 'version'>,
  thresholds: readonly string[],
  out: string,
  brokersDown: string[] = [],
): FleetResult {
  mkdirSync(out, { recursive: true });
  const result = mergeAndJudge(partDirs, { checks: sc.checks, thresholds, version: sc.version, out });
  if (brokersDown.length > 0) {
    result.brokersDown = brokersDown;
    const what = `the broker at ${brokersDown.join(', ')} stopped answering during the run`;
    if (result.exitCode === EXIT.violations && result.results.some((r) => r.verdict === 'violated'))
      result.summary = `${result.summary}; ${what}`;
    else {
      result.summary = `inconclusive: ${what}; ${result.summary}`;
      result.exitCode = EXIT.inconclusive;
    }
  }
  writeFileSync(join(out, 'fleet.json'), JSON.stringify(result, null, 2));
  writeFileSync(join(out, 'fleet.html'), renderHtml(result));
  return result;
}

export { findParts };
