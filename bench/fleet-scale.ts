/**
 * npm run soak:fleet — the "Done when" runs of issue 13, reproducible: starts K reference broker
 * processes (or one in a broken mode), runs `fleet run` against them with the live view, then
 * prints the figures (devices, connects/s, RSS of the fleet and of each broker, time, verdict)
 * with the load average before and after, and stops every process it started.
 *
 *   --devices 19000 --brokers 1 --rate 2000 --duration 2m --scenario smart-meters --out DIR
 *   --misbehave lose-qos1=1000     negative control: one broker that loses every 1000th QoS 1 message
 *   --extra "--threshold p50<500ms"  more fleet run arguments
 * Long: minutes, thousands of sockets. Not part of CI.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
};
const devices = arg('devices', '19000');
const brokers = Number(arg('brokers', '1'));
const rate = arg('rate', '2000');
const duration = arg('duration', '2m');
const scenario = arg('scenario', 'smart-meters');
const out = arg('out', `reports/fleet-scale-${devices}`);
const misbehave = arg('misbehave', '');
const extra = arg('extra', '').split(' ').filter(Boolean);
const bin = fileURLToPath(new URL('../bin/mqtt-harness.js', import.meta.url));
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

/*
 * The brokers queue up to 1,000,000 messages per offline session instead of the default 1,000: a
 * hub stalled for minutes queues more than that, and a queue limit is a capacity policy the spec
 * permits (4.1), so the default would turn the soak into a test of that policy rather than of the
 * guarantees. A fleet against another broker reads such losses with its queue limit in mind.
 */
const brokerConfig = join(mkdtempSync(join(tmpdir(), 'mh-soak-fleet-')), 'broker.yaml');
writeFileSync(brokerConfig, 'limits:\n  maxQueuedMessages: 1000000\n');

function startBroker(k: number): Promise<{ p: ChildProcess; url: string }> {
  const p = misbehave
    ? spawn(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(new URL('./fleet-misbehave-broker.ts', import.meta.url)), '0', misbehave],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      )
    : spawn(
        process.execPath,
        ['--max-semi-space-size=4', bin, 'broker', '--port', '0', '--log-level', 'warn', '--config', brokerConfig],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`broker ${k} did not start within 20 s`)), 20_000);
    let buf = '';
    p.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /listening on (mqtt:\/\/\S+)/.exec(buf);
      if (m) {
        clearTimeout(t);
        resolve({ p, url: m[1] });
      }
    });
    p.once('exit', (c) => reject(new Error(`broker ${k} exited ${c}`)));
  });
}

const peakRssMb = (pid: number | undefined): number | undefined => {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
};

const started: ChildProcess[] = [];
const stopAll = () => {
  for (const p of started) if (p.exitCode === null) p.kill('SIGKILL');
};
process.on('exit', stopAll);
console.log(
  `soak:fleet — ${devices} devices, ${brokers} broker process(es)${misbehave ? ` misbehaving (${misbehave})` : ''}, ramp ${rate}/s, ${duration}; load average before: ${load()}`,
);
const t0 = Date.now();
let code: number | undefined;
try {
  const bs = await Promise.all(Array.from({ length: misbehave ? 1 : brokers }, (_, k) => startBroker(k)));
  started.push(...bs.map((b) => b.p));
  const run = spawn(
    process.execPath,
    [
      '--max-semi-space-size=4',
      bin,
      'fleet',
      'run',
      scenario,
      '--devices',
      devices,
      '--rate',
      rate,
      '--duration',
      duration,
      '--broker',
      bs.map((b) => b.url).join(','),
      '--out',
      out,
      ...extra,
    ],
    { stdio: 'inherit' },
  );
  started.push(run);
  code = await new Promise<number>((resolve) => run.once('exit', (c) => resolve(c ?? 1)));
  const brokerRss = bs.map((b) => peakRssMb(b.p.pid));
  const r = JSON.parse(readFileSync(`${out}/fleet.json`, 'utf8')) as {
    devices: number;
    peakConnectsPerS: number;
    allConnectedAfterS?: number;
    rssPeakMb: { sum: number; max: number };
    judgeRssMb: number;
    judgePeakRssMb?: number;
    counts: Record<string, number>;
    summary: string;
    exitCode: number;
  };
  console.log(
    `figures: ${r.devices} devices; ${r.allConnectedAfterS !== undefined ? `all connected after ${r.allConnectedAfterS.toFixed(1)} s` : 'never all connected in the same second'}; peak ${r.peakConnectsPerS} connects/s; fleet peak RSS ${r.rssPeakMb.sum} MB (workers), ${r.judgeRssMb} MB merging (main process peak ${r.judgePeakRssMb ?? '?'} MB); broker peak RSS ${brokerRss.map((x) => `${x ?? '?'} MB`).join(', ')}; ` +
      `${r.counts.published} published, ${r.counts.acknowledged} acknowledged, ${r.counts.distinctReceived} distinct at hubs; wall ${Math.round((Date.now() - t0) / 1000)} s; exit ${r.exitCode}`,
  );
  console.log(`verdict: ${r.summary}`);
} finally {
  stopAll();
  console.log(`load average after: ${load()}`);
}
process.exitCode = code ?? 1;
