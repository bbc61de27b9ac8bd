/**
 * npm run bench — runs every benchmark that exists (codec, broker, proxy), one after another,
 * each as its own child process so one's load never skews another's.
 * Exits non-zero if any bench failed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const benches = ['codec-bench.ts', 'broker-bench.ts', 'proxy-bench.ts', 'fleet-bench.ts'];
const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
let failed = 0;
for (const b of benches) {
  const path = fileURLToPath(new URL(`./${b}`, import.meta.url));
  if (!existsSync(path)) {
    console.log(`== ${b}: not present, skipped`);
    continue;
  }
  console.log(`== ${b}`);
  const started = Date.now();
  const r = spawnSync(tsx, [path], { stdio: 'inherit', timeout: 15 * 60_000 });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    failed++;
    console.log(`== ${b}: FAILED (${r.error?.message ?? `exit ${r.status ?? r.signal}`}) after ${secs} s`);
  } else console.log(`== ${b}: done in ${secs} s`);
}
process.exitCode = failed > 0 ? 1 : 0;
