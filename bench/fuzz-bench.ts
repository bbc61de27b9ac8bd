/**
 * npm run bench:fuzz — fuzzer throughput (frames/s) against the reference broker and against
 * Debian's mosquitto in the same run (each in its own process, pinned to core 0; the fuzzer runs
 * here). Same seed and frame count for both. Prints the load average before and after: figures
 * from a busy machine are lower bounds.
 *
 *   --frames 200000   frames per target     --seed 1      --version both|3.1.1|5.0
 *   --only ours|mosquitto                   --concurrency 64
 *   --chain 8         most cases per connection while all sent is valid (1: one case per connection)
 *   --warmup 20000    frames sent first to each target with another seed, not counted (JIT warm-up
 *                     of the codec in both processes); 0 to count from the first frame
 *
 * The fuzzer keeps `concurrency` connections in flight (no barrier between batches); a control
 * connection checks the broker every 400 cases alongside them.
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { runFuzz, type FuzzLevel, type FuzzResult } from '../src/fuzz/index.ts';
import { MOSQUITTO, startMosquitto, startOurs, type Target } from './load/targets.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const frames = Number(arg('frames', '200000'));
const seed = Number(arg('seed', '1'));
const only = arg('only', '');
const concurrency = Number(arg('concurrency', '64'));
const maxChain = Number(arg('chain', '8'));
const warmup = Number(arg('warmup', '20000'));
const v = arg('version', 'both');
const versions: FuzzLevel[] = v === '3.1.1' ? [4] : v === '5.0' ? [5] : [4, 5];
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

console.log(
  `bench:fuzz — ${frames} frames per target (after ${warmup} warm-up frames), seed ${seed}, concurrency ${concurrency}, chain ${maxChain}; load average before: ${load()}`,
);
if (loadavg()[0] > 1.5) console.log('WARNING: the machine is busy (1-min load > 1.5); figures are lower bounds');

async function measure(t: Target): Promise<FuzzResult> {
  const run = (s: number, n: number): Promise<FuzzResult> =>
    runFuzz({
      target: { host: '127.0.0.1', port: t.port },
      seed: s,
      versions,
      frames: n,
      budgetMs: 300_000,
      concurrency,
      maxChain,
      maxShrinkAttempts: 50,
    });
  try {
    if (warmup > 0) await run(seed + 1_000_003, warmup);
    return await run(seed, frames);
  } finally {
    await t.stop();
  }
}

const rows: { name: string; r: FuzzResult }[] = [];
if (only !== 'mosquitto') rows.push({ name: 'reference broker', r: await measure(await startOurs()) });
if (only !== 'ours' && existsSync(MOSQUITTO))
  rows.push({ name: 'mosquitto 2.0.11', r: await measure(await startMosquitto()) });
for (const { name, r } of rows) {
  console.log(
    `${name.padEnd(18)} ${String(Math.round(r.framesPerSecond)).padStart(7)} frames/s  (${r.framesSent} frames, ${r.cases} cases on ${r.connections} connections, ${r.controlChecks} control checks, ${(r.elapsedMs / 1000).toFixed(1)} s, ${r.findings.length} findings, ${r.advisories.length} kinds of advisory)`,
  );
}
if (rows.length === 2)
  console.log(`ratio reference/mosquitto: ${(rows[0].r.framesPerSecond / rows[1].r.framesPerSecond).toFixed(2)}`);
console.log(`load average after: ${load()}`);
