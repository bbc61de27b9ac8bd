/**
 * npm run bench:explore — explored programs per second against the embedded reference broker
 * (in this process) and, when installed, Debian's mosquitto (its own process), over the same
 * seeded programs. The checks run too (the model is part of each program's cost). Prints the
 * load average before and after: figures on a busy machine are only comparable within one run.
 *
 *   --programs 400   programs per version and target
 *   --seed 7
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import fc from 'fast-check';
import { startBroker } from '../src/broker/index.ts';
import { programArb, runProgram, type ExploreVersion } from '../src/explore/index.ts';
import { checkHistory } from '../src/model/index.ts';
import { MOSQUITTO_BIN, startLocalMosquitto } from '../src/report/local-mosquitto.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const n = Number(arg('programs', '400'));
const seed = Number(arg('seed', '7'));
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

async function measure(url: string, version: ExploreVersion, tag: string): Promise<{ rate: number; findings: number }> {
  const programs = fc.sample(programArb(version, 3), { seed, numRuns: n });
  const t0 = performance.now();
  let findings = 0;
  let i = 0;
  for (const p of programs) {
    const r = await runProgram(p, { url }, { prefix: `bx${tag}${Date.now() % 100000}n${i++}` });
    if (checkHistory(r.history, { version }).length > 0) findings++;
  }
  return { rate: n / ((performance.now() - t0) / 1000), findings };
}

console.log(`bench:explore — ${n} programs per version and target, seed ${seed}; load average before: ${load()}`);
if (loadavg()[0] > 1.5)
  console.log('WARNING: the machine is busy (1-minute load above 1.5): figures are depressed and noisy');
const ours = await startBroker({ port: 0 });
const mosq = existsSync(MOSQUITTO_BIN) ? await startLocalMosquitto() : undefined;
try {
  for (const version of ['3.1.1', '5.0'] as const) {
    const a = await measure(ours.url, version, 'o');
    let line = `MQTT ${version}: embedded reference broker ${a.rate.toFixed(1)} programs/s (${a.findings} programs with findings)`;
    if (mosq) {
      const b = await measure(mosq.url, version, 'm');
      line += `; mosquitto 2.0 ${b.rate.toFixed(1)} programs/s (${b.findings} with findings); ratio ours/mosquitto ${(a.rate / b.rate).toFixed(2)}`;
    }
    console.log(line);
  }
} finally {
  await ours.close();
  await mosq?.stop();
}
console.log(`load average after: ${load()}`);
