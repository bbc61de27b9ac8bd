/**
 * Merges the parts of a run (the workers of one process, the shards of a Kubernetes Job) into
 * one result: counters add, HDR histograms add without loss, timelines align on epoch seconds,
 * histories interleave by time and are renumbered; then the checkers judge the whole history
 * and the thresholds judge the merged metrics.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { CheckResult, CheckerName } from '../../checker/index.ts';
import { EXIT, type ExitCode } from '../../common/index.ts';
import type { Part } from '../engine/part.ts';
import { decodeHistogram, mergeTimelines, newHistogram, quantiles, type SecondStats } from '../engine/metrics.ts';
import { judgeHistories } from './merge-histories.ts';
import { judgeThresholds, parseThreshold, type Threshold, type ThresholdResult } from './thresholds.ts';

export type GuaranteeVerdict = 'holds' | 'violated' | 'undecided' | 'nothing to check';

/** A checker's result in the fleet's words (`verdict`), with the checker's own (`checkerVerdict`). */
export type FleetCheck = Omit<CheckResult, 'verdict'> & {
  verdict: GuaranteeVerdict;
  checkerVerdict: CheckResult['verdict'];
};

export interface FleetResult {
  scenario: string;
  seed: number;
  version: string;
  devices: number;
  parts: number;
  shards: number;
  brokers: string[];
  t0: number;
  endedAt: number;
  durationMs: number;
  counts: Part['counts'] & { distinctReceived: number };
  errors: number;
  latency: { e2e: ReturnType<typeof quantiles>; connect: ReturnType<typeof quantiles> };
  thresholds: ThresholdResult[];
  results: FleetCheck[];
  summary: string;
  exitCode: ExitCode;
  timeline: SecondStats[];
  windows: Part['windows'];
  rssPeakMb: { sum: number; max: number; base: number };
  cpuMs: number;
  checkMs: number;
  /** The most connections accepted in one second (the ramp reached). */
  peakConnectsPerS: number;
  /** Seconds from the start until every device was connected at once (undefined: never). */
  allConnectedAfterS?: number;
  /** Brokers that no longer answered when the run ended (the run is then inconclusive). */
  brokersDown?: string[];
  /** The longest stall of a fleet process's own event loop (ms): latencies measured then include it. */
  fleetStallMs: number;
  /** RSS of the process that merged and judged, after the checks. */
  judgeRssMb: number;
  /** Peak RSS of that process over its life (it ran the live view, then merged; Linux VmHWM). */
  judgePeakRssMb?: number;
  historyOps: number;
  load: number[];
}

/** The part directories under each given run directory (DIR/parts/*), or DIR itself when it is a part. */
export function findParts(dirs: readonly string[]): string[] {
  const out: string[] = [];
  for (const d of dirs) {
    if (existsSync(join(d, 'part.json'))) out.push(d);
    else if (existsSync(join(d, 'parts')))
      for (const p of readdirSync(join(d, 'parts')).sort())
        if (existsSync(join(d, 'parts', p, 'part.json'))) out.push(join(d, 'parts', p));
  }
  if (out.length === 0) throw new Error(`no fleet parts (part.json) found in ${dirs.join(', ')}`);
  return out;
}

export function loadPart(dir: string): Part {
  return JSON.parse(readFileSync(join(dir, 'part.json'), 'utf8')) as Part;
}

const WORDS = {
  valid: 'holds',
  invalid: 'violated',
  unknown: 'undecided',
  'nothing-to-check': 'nothing to check',
} as const;
export const verdictOf = (r: Pick<CheckResult, 'verdict'>): GuaranteeVerdict => WORDS[r.verdict];

export { mergeHistories, writeHistory } from './merge-histories.ts';

export interface JudgeOptions {
  checks: readonly CheckerName[];
  thresholds: readonly string[];
  version: '3.1.1' | '5.0';
  /** Write DIR/history.jsonl of the merged history. */
  out?: string;
}

export function mergeAndJudge(partDirs: readonly string[], o: JudgeOptions): FleetResult {
  const parts = partDirs.map(loadPart);
  const hubs = new Set(parts.flatMap((p) => p.hubs));
  const endTime = Math.max(...parts.map((p) => p.endedAt));
  const c0 = performance.now();
  const judged = judgeHistories(partDirs, hubs, o, endTime);
  const results = judged.results.map((r): FleetCheck => ({ ...r, verdict: verdictOf(r), checkerVerdict: r.verdict }));
  const checkMs = performance.now() - c0;
  const e2e = newHistogram();
  const connect = newHistogram();
  for (const p of parts) {
    e2e.add(decodeHistogram(p.e2e));
    connect.add(decodeHistogram(p.connect));
  }
  const counts = {
    published: 0,
    acknowledged: 0,
    pubFailed: 0,
    pubUnknown: 0,
    received: 0,
    drops: 0,
    connects: 0,
    connectFailures: 0,
    faults: 0,
  };
  for (const p of parts) for (const k of Object.keys(counts) as (keyof typeof counts)[]) counts[k] += p.counts[k];
  const lat = { e2e: quantiles(e2e), connect: quantiles(connect) };
  const errors = parts.reduce((n, p) => n + p.errors, 0);
  const metrics: Record<string, number | undefined> = {
    errors,
    drops: counts.drops,
    connect_failures: counts.connectFailures,
    published: counts.published,
    received: counts.received,
  };
  for (const [k, v] of Object.entries(lat.e2e ?? {})) if (k !== 'count') metrics[k] = v;
  for (const [k, v] of Object.entries(lat.connect ?? {})) if (k !== 'count') metrics[`connect_${k}`] = v;
  const ts = o.thresholds.map(parseThreshold).filter((t): t is Threshold => typeof t !== 'string');
  const thresholds = judgeThresholds(ts, metrics);
  const sum = summarize(results, thresholds, parts[0].seed);
  const fleetStallMs = Math.max(0, ...parts.map((p) => p.stallMs ?? 0));
  const { exitCode } = sum;
  const summary =
    fleetStallMs > 0
      ? `${sum.summary}; note: a fleet process itself stalled for up to ${(fleetStallMs / 1000).toFixed(1)} s (starved of CPU), and the latencies include that`
      : sum.summary;
  const timeline = mergeTimelines(parts.map((p) => p.timeline));
  const devicesTotal = parts.reduce((n, p) => n + p.devices, 0);
  const t0 = Math.min(...parts.map((p) => p.t0));
  const full = timeline.find((t) => t.connected >= devicesTotal);
  const result: FleetResult = {
    scenario: parts[0].scenario,
    seed: parts[0].seed,
    version: parts[0].version,
    devices: parts.reduce((n, p) => n + p.devices, 0),
    parts: parts.length,
    shards: new Set(parts.map((p) => p.shard.index)).size,
    brokers: [...new Set(parts.flatMap((p) => p.brokers))],
    t0: Math.min(...parts.map((p) => p.t0)),
    endedAt: endTime,
    durationMs: parts[0].durationMs,
    counts: { ...counts, distinctReceived: judged.distinctReceived },
    errors,
    latency: lat,
    thresholds,
    results,
    summary,
    exitCode,
    timeline,
    windows: parts.flatMap((p) => p.windows),
    rssPeakMb: {
      sum: parts.reduce((n, p) => n + p.rssPeakMb, 0),
      max: Math.max(...parts.map((p) => p.rssPeakMb)),
      base: parts.reduce((n, p) => n + (p.rssBaseMb ?? 0), 0),
    },
    cpuMs: parts.reduce((n, p) => n + p.cpuMs, 0),
    checkMs,
    fleetStallMs,
    peakConnectsPerS: Math.max(0, ...timeline.map((t) => t.connects)),
    judgeRssMb: Math.round(process.memoryUsage.rss() / 1048576),
    ...peakRss(),
    ...(full ? { allConnectedAfterS: Math.max(0, full.t + 1 - t0 / 1000) } : {}),
    historyOps: judged.ops,
    load: loadavg(),
  };
  return result;
}

function peakRss(): { judgePeakRssMb?: number } {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? { judgePeakRssMb: Math.round(Number(m[1]) / 1024) } : {};
  } catch {
    return {};
  }
}

/** The honest one-line answer and the exit code: violations and failed thresholds → 1, undecided → 3. */
export function summarize(
  results: readonly Pick<FleetCheck, 'verdict' | 'checker' | 'checked' | 'unknown'>[],
  thresholds: readonly ThresholdResult[],
  seed: number,
): { summary: string; exitCode: ExitCode } {
  const by = (v: GuaranteeVerdict) => results.filter((r) => r.verdict === v).map((r) => r.checker);
  const violated = by('violated');
  const undecided = results.filter((r) => r.verdict === 'undecided');
  const empty = by('nothing to check');
  const failedT = thresholds.filter((t) => !t.ok);
  const tail = [
    empty.length > 0 ? `nothing to check for ${empty.join(', ')}` : '',
    failedT.length > 0
      ? `${failedT.length} threshold(s) failed: ${failedT.map((t) => t.text).join(', ')}`
      : thresholds.length > 0
        ? 'all thresholds pass'
        : '',
  ]
    .filter(Boolean)
    .join('; ');
  const withTail = (s: string) => (tail ? `${s}; ${tail}` : s);
  if (violated.length > 0)
    return {
      summary: withTail(`GUARANTEE VIOLATED: ${violated.join(', ')} (replay with --seed ${seed})`),
      exitCode: EXIT.violations,
    };
  if (failedT.length > 0 && undecided.length === 0)
    return { summary: withTail(holdsText(by('holds'))), exitCode: EXIT.violations };
  if (undecided.length > 0) {
    const n = undecided.reduce((k, r) => k + r.unknown, 0);
    return {
      summary: withTail(
        `inconclusive: no violation found, but ${undecided.map((r) => `${r.checker} has ${r.unknown} of ${r.checked} undecided`).join(', ')} (${n} items); ${by('holds').length} guarantee(s) fully decided`,
      ),
      exitCode: failedT.length > 0 ? EXIT.violations : EXIT.inconclusive,
    };
  }
  return {
    summary: withTail(holdsText(by('holds'))),
    exitCode: by('holds').length === 0 && results.length > 0 ? EXIT.inconclusive : EXIT.ok,
  };
}

const holdsText = (hold: string[]): string =>
  hold.length === 0
    ? 'no guarantee had anything to check'
    : `all guarantees hold, every item decided (${hold.join(', ')})`;
