/**
 * npm run soak:crash — kill -9 the reference broker (file persistence) 100 times during QoS 1/2
 * traffic, restart it each time, and run the checkers on the whole history. Exit 1 when an
 * acknowledged message was lost or a QoS 2 message delivered twice. Not for CI (minutes).
 *   --kills 100  --seed S  --version 5.0|3.1.1  --history FILE
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { formatResult, toJsonLines } from '../src/checker/index.ts';
import { runCrashSoak } from '../src/fuzz/index.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const kills = Number(arg('kills', '100'));
const seed = Number(arg('seed', String(Math.floor(Math.random() * 0xffffffff))));
const level = arg('version', '5.0') === '3.1.1' ? 4 : 5;
console.log(
  `soak:crash — ${kills} kills, seed ${seed}, MQTT ${level === 5 ? '5.0' : '3.1.1'}; load ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
const t0 = Date.now();
const r = await runCrashSoak({ kills, seed, level, onProgress: (l) => console.log(`  ${l}`) });
const historyFile = arg('history', '');
if (historyFile) writeFileSync(historyFile, toJsonLines(r.history));
for (const x of r.results) console.log(formatResult(x));
console.log(
  `${r.kills} kills in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${r.published} published, ${r.acknowledged} acknowledged, ${r.received} received, ${r.historyOps} history ops`,
);
console.log(
  r.valid
    ? 'soak:crash passed: no acknowledged message lost, QoS 2 exactly once'
    : `soak:crash FAILED (replay with --seed ${seed})`,
);
process.exitCode = r.valid ? 0 : 1;
