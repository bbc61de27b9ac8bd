/**
 * npm run bench:fleet — the lean fleet against a naive fleet of MQTT.js clients of the same
 * size, each against a fresh reference broker process, same load (QoS 1 every 5 s per device,
 * one subscriber timing end to end, clean link). Prints devices held, RSS per device, CPU per
 * 1,000 messages and end-to-end latency, and the ratios; the load average before and after.
 *
 *   --devices 5000       fleet size for both (the naive fleet gets as far as it gets)
 *   --rate 2000          connects per second
 *   --duration-ms 20000  publishing window
 *   --only lean|naive    run one side only
 *   --json FILE          also write the figures as JSON
 * Figures are comparable only within one run; on a shared machine they carry its load.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
};
const devices = Number(arg('devices', '5000'));
const rate = Number(arg('rate', '2000'));
const durationMs = Number(arg('duration-ms', '20000'));
const only = arg('only', '');
const jsonOut = arg('json', '');
const bin = fileURLToPath(new URL('../bin/mqtt-harness.js', import.meta.url));
const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

async function withBroker<T>(f: (url: string) => Promise<T>): Promise<T> {
  const b = spawn(process.execPath, [bin, 'broker', '--port', '0', '--log-level', 'warn'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('broker did not start in 20 s')), 20_000);
      let buf = '';
      b.stdout!.on('data', (d: Buffer) => {
        buf += d.toString();
        const m = /listening on (mqtt:\/\/\S+)/.exec(buf);
        if (m) {
          clearTimeout(t);
          resolve(m[1]);
        }
      });
      b.once('exit', (c) => reject(new Error(`broker exited ${c}`)));
    });
    return await f(url);
  } finally {
    b.kill('SIGKILL');
  }
}

function lean(url: string): Record<string, number | string | null> {
  const out = mkdtempSync(join(tmpdir(), 'bench-fleet-'));
  try {
    const t0 = Date.now();
    const r = spawnSync(
      process.execPath,
      [
        bin,
        'fleet',
        'run',
        here('./fleet-bench.yaml'),
        '--devices',
        String(devices),
        '--rate',
        String(rate),
        '--duration',
        `${durationMs}ms`,
        '--broker',
        url,
        '--out',
        out,
        '--json',
        '--drain',
        '30s',
      ],
      { encoding: 'utf8', timeout: durationMs + 240_000, maxBuffer: 64 << 20 },
    );
    if (r.status !== 0 && r.status !== 1 && r.status !== 3)
      return { error: `fleet run exited ${r.status ?? r.signal}: ${r.stderr.slice(-400)}` };
    const j = JSON.parse(r.stdout) as {
      devices: number;
      counts: { published: number; received: number; connects: number };
      latency: { e2e?: { p50: number; p99: number } };
      rssPeakMb: { sum: number; base: number };
      cpuMs: number;
      summary: string;
      parts: number;
    };
    return {
      devices: j.devices,
      workers: j.parts,
      connects: j.counts.connects,
      published: j.counts.published,
      received: j.counts.received,
      p50: j.latency.e2e?.p50 ?? null,
      p99: j.latency.e2e?.p99 ?? null,
      rssPeakMb: j.rssPeakMb.sum,
      kibPerDevice: Math.round((((j.rssPeakMb.sum - j.rssPeakMb.base) * 1024) / j.devices) * 10) / 10,
      cpuMsPer1000: Math.round((j.cpuMs / Math.max(1, j.counts.published + j.counts.received)) * 1000),
      wallS: Math.round((Date.now() - t0) / 100) / 10,
      verdict: j.summary,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function naive(url: string): Record<string, number | string | null> {
  const t0 = Date.now();
  const r = spawnSync(tsx, [here('./fleet-naive.ts'), url, String(devices), String(rate), String(durationMs), '5000'], {
    encoding: 'utf8',
    timeout: durationMs + 240_000,
    maxBuffer: 16 << 20,
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (!line.startsWith('{')) return { error: `naive fleet: exit ${r.status ?? r.signal}: ${r.stderr.slice(-400)}` };
  const j = JSON.parse(line) as {
    connected: number;
    published: number;
    received: number;
    p50: number | null;
    p99: number | null;
    rssPeakMb: number;
    rssBaseMb: number;
    cpuMs: number;
  };
  return {
    devices: j.connected,
    workers: 1,
    published: j.published,
    received: j.received,
    p50: j.p50,
    p99: j.p99,
    rssPeakMb: j.rssPeakMb,
    kibPerDevice: Math.round((((j.rssPeakMb - j.rssBaseMb) * 1024) / Math.max(1, j.connected)) * 10) / 10,
    cpuMsPer1000: Math.round((j.cpuMs / Math.max(1, j.published + j.received)) * 1000),
    wallS: Math.round((Date.now() - t0) / 100) / 10,
  };
}

console.log(
  `bench:fleet — ${devices} devices, ramp ${rate}/s, ${durationMs} ms window, QoS 1 every 5 s; load average before: ${load()}`,
);
if (Number(loadavg()[0]) > 1.5) console.log('warning: the machine is busy (load > 1.5); figures carry that load');
const rows: Record<string, Record<string, number | string | null>> = {};
if (only !== 'naive') rows.lean = await withBroker(async (u) => lean(u));
if (only !== 'lean') rows.naive = await withBroker(async (u) => naive(u));
const keys = [
  'devices',
  'workers',
  'published',
  'received',
  'p50',
  'p99',
  'rssPeakMb',
  'kibPerDevice',
  'cpuMsPer1000',
  'wallS',
];
console.log(`${'metric'.padEnd(14)} ${'lean fleet'.padStart(12)} ${'MQTT.js'.padStart(12)} ${'ratio'.padStart(8)}`);
for (const k of keys) {
  const a = rows.lean?.[k];
  const b = rows.naive?.[k];
  const ratio = typeof a === 'number' && typeof b === 'number' && b !== 0 ? (a / b).toFixed(2) : '';
  const f = (v: unknown) =>
    v === undefined || v === null ? '-' : typeof v === 'number' ? String(Math.round(v * 10) / 10) : String(v);
  console.log(`${k.padEnd(14)} ${f(a).padStart(12)} ${f(b).padStart(12)} ${ratio.padStart(8)}`);
}
for (const [k, r] of Object.entries(rows)) if (r.error) console.log(`${k}: ${r.error}`);
if (rows.lean?.verdict) console.log(`lean fleet verdict: ${rows.lean.verdict}`);
if (typeof rows.lean?.kibPerDevice === 'number' && rows.lean.kibPerDevice > 0)
  console.log(
    `devices per GB of RSS at this footprint: ~${Math.floor((1024 * 1024) / rows.lean.kibPerDevice)} (each worker process holds at most its open-file limit)`,
  );
console.log(
  `p50/p99: end-to-end ms through the broker on a clean link (the fleet's own overhead is the difference from the naive client); load average after: ${load()}`,
);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ devices, rate, durationMs, load: loadavg(), rows }, null, 2));
