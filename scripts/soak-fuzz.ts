/**
 * npm run soak:fuzz — the reference broker (own process, file persistence off) under the fuzzer:
 * FRAMES (default 1,000,000) per version, both versions, one seed. Exits 1 on any finding
 * (crash, hang, wrong answer) and writes reports/soak-fuzz.json. Not for CI: minutes long.
 *   --frames N  --seed S  --budget 30m
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseDuration, runFuzz, type FuzzResult } from '../src/fuzz/index.ts';
import { printResult } from '../src/cli/fuzz-command.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const frames = Number(arg('frames', '1000000'));
const seed = Number(arg('seed', String(Math.floor(Math.random() * 0xffffffff))));
const budgetMs = parseDuration(arg('budget', '30m'));

const child = spawn(
  process.execPath,
  ['--import', 'tsx', 'src/cli/main.ts', 'broker', '--port', '0', '--log-level', 'warn'],
  { stdio: ['ignore', 'pipe', 'pipe'] },
);
let logLines = 0;
child.stderr.on('data', (d: Buffer) => {
  logLines += d.toString().split('\n').length - 1;
});
const url: string = await new Promise((resolve, reject) => {
  const t = setTimeout(() => reject(new Error('broker did not start within 30 s')), 30_000);
  child.stdout.on('data', (d: Buffer) => {
    const m = /listening on (mqtt:\/\/\S+)/.exec(d.toString());
    if (m) {
      clearTimeout(t);
      resolve(m[1]);
    }
  });
});
const port = Number(new URL(url).port);
console.log(
  `soak:fuzz — reference broker at ${url} (pid ${child.pid}), ${frames} frames per version, seed ${seed}; load ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
const results: Record<string, FuzzResult> = {};
let findings = 0;
try {
  for (const [name, lv] of [
    ['3.1.1', 4],
    ['5.0', 5],
  ] as const) {
    let last = 0;
    const r = await runFuzz({
      target: { host: '127.0.0.1', port },
      seed,
      versions: [lv],
      frames,
      budgetMs: budgetMs / 2,
      onProgress: (p) => {
        if (p.elapsedMs - last < 10_000) return;
        last = p.elapsedMs;
        console.log(
          `  ${name}: ${p.framesSent} frames, ${Math.round(p.framesPerSecond)} frames/s, ${p.findings} findings`,
        );
      },
    });
    results[name] = r;
    findings += r.findings.length;
    printResult(r, (s) => console.log(s));
  }
} finally {
  const alive = child.exitCode === null;
  child.kill('SIGTERM');
  console.log(
    `broker process ${alive ? 'still running at the end (no crash)' : `EXITED with code ${child.exitCode}`}; ${logLines} log lines at warn level`,
  );
  if (!alive) findings++;
}
mkdirSync('reports', { recursive: true });
writeFileSync(
  'reports/soak-fuzz.json',
  JSON.stringify({ seed, frames, results, findings, brokerLogLines: logLines, load: loadavg() }, null, 2),
);
console.log(
  `soak:fuzz: ${findings === 0 ? 'passed' : 'failed'} — reports/soak-fuzz.json; load average at the end ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
process.exitCode = findings === 0 ? 0 : 1;
