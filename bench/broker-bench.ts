/**
 * npm run bench:broker — the same load against the reference broker and Debian's mosquitto,
 * each in its own process pinned to core 0, load clients (our raw codec client, not MQTT.js)
 * in separate processes pinned to core 1. Cases are short and bounded in count and time.
 * The load clients read the hot path with a lean framer (load/frame-scanner.ts) and write
 * batches, so that one core of them can saturate mosquitto's core; connection setup and
 * SUBACK/CONNACK still go through the strict codec.
 *
 *   --only ours|mosquitto   run one broker only
 *   --cases qos0,qos1,qos2,fanout,latency,memory
 *   --duration-ms 3000      per throughput case
 *   --conns 10000           idle connections for the memory case
 *   --json FILE             also write the figures as JSON
 *   --wait-quiet SECS       first wait up to SECS for the 1-minute load average to fall below 1.5
 * The load average is printed before and after, with a warning when it is above 1.5.
 * Environment: BENCH_NO_TASKSET=1 skips core pinning; BENCH_NICE=-10 (root) runs brokers and
 * load clients at a higher priority, which steadies figures on a machine busy with other work;
 * BENCH_MOSQUITTO_NODELAY=1 sets set_tcp_nodelay in mosquitto; BENCH_OURS_NODE_ARGS adds Node
 * options to our broker's process (e.g. "--max-semi-space-size=1"); BENCH_REFILL_AT=N makes the
 * windowed publisher refill only when N slots are free (default 1: on every ack).
 * The memory case reads RSS after a full GC of our broker (--expose-gc), as V8's memory reducer
 * would reach when idle; mosquitto (malloc) needs no settling.
 * Figures are only comparable with each other within one run, on an otherwise idle machine.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { hasTaskset, openFilesHardLimit } from './load/children.ts';
import { latency, memoryPerConnection, throughput } from './load/cases.ts';
import { MOSQUITTO, MOSQUITTO_NODELAY, startMosquitto, startOurs, type Target } from './load/targets.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const durationMs = Number(arg('duration-ms', '3000'));
const wantConns = Number(arg('conns', '10000'));
const cases = arg('cases', 'qos0,qos1,qos2,fanout,latency,memory').split(',');
const only = arg('only', '');
const jsonOut = arg('json', '');

interface Row {
  case: string;
  unit: string;
  better: 'higher' | 'lower';
  values: Record<string, number | undefined>;
  notes: Record<string, string>;
}

/** Children raise their open-files soft limit to the hard limit; shrink N with a clear message if even that is too low. */
function connsAllowed(): number {
  const hard = openFilesHardLimit();
  const need = wantConns + 200;
  if (Number.isFinite(hard) && hard < need) {
    const n = Math.max(100, hard - 200);
    console.log(`note: the open-files hard limit is ${hard}; ${wantConns} connections need ${need}. Raise it (e.g. \`ulimit -Hn ${need}\` as root, or LimitNOFILE) and rerun. Measuring with ${n} connections.`);
    return n;
  }
  return wantConns;
}

const brokers: Array<{ name: string; start: () => Promise<Target> }> = [];
if (only === '' || only === 'ours') brokers.push({ name: 'ours', start: startOurs });
if (only === '' || only === 'mosquitto') {
  if (existsSync(MOSQUITTO)) brokers.push({ name: 'mosquitto', start: startMosquitto });
  else console.log(`note: ${MOSQUITTO} not found; mosquitto column skipped (apt-get install mosquitto)`);
}

const rows: Row[] = [];
const row = (c: string, unit: string, better: Row['better']): Row => {
  const r: Row = { case: c, unit, better, values: {}, notes: {} };
  rows.push(r);
  return r;
};

async function withTarget<T>(b: { name: string; start: () => Promise<Target> }, f: (t: Target) => Promise<T>): Promise<T> {
  const t = await b.start();
  try {
    return await f(t);
  } finally {
    await t.stop();
  }
}

const fmt = (v: number | undefined, unit: string) =>
  v === undefined || Number.isNaN(v) ? 'n/a' : unit === 'ms' || unit === 'KiB/conn' ? v.toFixed(3) : Math.round(v).toLocaleString('en-US');

console.log(`broker bench: ${durationMs} ms per throughput case, 64-byte payloads, in-flight window 100, taskset ${hasTaskset ? 'on (broker core 0, load core 1)' : 'not available'}, mosquitto TCP_NODELAY ${MOSQUITTO_NODELAY ? 'on' : 'off (its default)'}`);
/** 1-minute load average above which other work competes for the two cores and skews every figure. */
const LOAD_LIMIT = 1.5;
function reportLoad(when: string): void {
  const l = loadavg();
  console.log(`load average ${when}: ${l.map((v) => v.toFixed(2)).join(' ')} (1, 5, 15 min)`);
  if (l[0] > LOAD_LIMIT) {
    console.log(`WARNING: 1-minute load ${l[0].toFixed(2)} > ${LOAD_LIMIT}: other processes are using the cores, figures ${when === 'before' ? 'below' : 'above'} are unreliable (mosquitto and ours alike); rerun on a quiet machine.`);
  }
}
/** --wait-quiet SECS: wait up to SECS for the 1-minute load to drop below the limit before starting. */
const waitQuiet = Number(arg('wait-quiet', '0'));
if (waitQuiet > 0 && loadavg()[0] > LOAD_LIMIT) {
  const until = Date.now() + waitQuiet * 1000;
  console.log(`waiting up to ${waitQuiet} s for the 1-minute load (${loadavg()[0].toFixed(2)}) to drop below ${LOAD_LIMIT}…`);
  while (Date.now() < until && loadavg()[0] > LOAD_LIMIT) await new Promise((r) => setTimeout(r, 2000));
}
const loadBefore = loadavg();
reportLoad('before');
const started = Date.now();
for (const c of cases) {
  const spec: Record<string, () => Row> = {
    qos0: () => row('QoS 0, 1 pub → 1 sub', 'msg/s', 'higher'),
    qos1: () => row('QoS 1, 1 pub → 1 sub', 'msg/s', 'higher'),
    qos2: () => row('QoS 2, 1 pub → 1 sub', 'msg/s', 'higher'),
    fanout: () => row('fan-out 1 pub (QoS 1) → 100 subs (QoS 0)', 'deliveries/s', 'higher'),
    latency: () => row('latency p50, QoS 1 at 5,000 msg/s', 'ms', 'lower'),
    memory: () => row(`RSS per idle connection`, 'KiB/conn', 'lower'),
  };
  if (spec[c] === undefined) {
    console.error(`unknown case "${c}" (use ${Object.keys(spec).join(', ')})`);
    process.exit(2);
  }
  const r = spec[c]();
  const p99 = c === 'latency' ? row('latency p99, QoS 1 at 5,000 msg/s', 'ms', 'lower') : undefined;
  const marginal = c === 'memory' ? row('RSS per idle connection, marginal (N/2 → N)', 'KiB/conn', 'lower') : undefined;
  for (const b of brokers) {
    try {
      await withTarget(b, async (t) => {
        if (c === 'qos0' || c === 'qos1' || c === 'qos2') {
          const q = Number(c.slice(3)) as 0 | 1 | 2;
          const res = await throughput(t, { qos: q, subs: 1, durationMs, maxCount: 3_000_000, window: 100 });
          r.values[b.name] = res.rate;
          if (res.received < res.expected) r.notes[b.name] = `${res.expected - res.received} of ${res.expected} not delivered`;
        } else if (c === 'fanout') {
          const res = await throughput(t, { qos: 0, pubQos: 1, subs: 100, durationMs: Math.min(durationMs, 2000), maxCount: 20_000, window: 100 });
          r.values[b.name] = res.rate;
          if (res.received < res.expected) r.notes[b.name] = `${res.expected - res.received} of ${res.expected} not delivered`;
        } else if (c === 'latency') {
          const res = await latency(t, { rate: 5000, durationMs });
          r.values[b.name] = res.p50;
          p99!.values[b.name] = res.p99;
          p99!.notes[b.name] = `p99.9 ${res.p999.toFixed(3)}, max ${res.max.toFixed(3)}, ${res.received}/${res.sent} received`;
        } else {
          const res = await memoryPerConnection(t, { conns: connsAllowed() });
          r.values[b.name] = res.kibPerConn;
          r.notes[b.name] = `${res.conns} conns${res.failed ? `, ${res.failed} failed (${res.firstError})` : ''}, RSS ${res.baselineKiB} → ${res.halfKiB} → ${res.loadedKiB} KiB`;
          marginal!.values[b.name] = res.marginalKiBPerConn;
        }
      });
    } catch (e) {
      r.notes[b.name] = `failed: ${(e as Error).message.split('\n').slice(0, 6).join(' | ')}`;
    }
    console.log(`  ${r.case} [${b.name}]: ${fmt(r.values[b.name], r.unit)} ${r.unit}${r.notes[b.name] ? `  (${r.notes[b.name]})` : ''}`);
  }
}

const names = brokers.map((b) => b.name);
console.log('');
const header = ['case', 'unit', ...names, ...(names.length === 2 ? ['ours/mosquitto'] : [])];
const table = rows.map((r) => {
  const cells = [r.case, r.unit, ...names.map((n) => fmt(r.values[n], r.unit))];
  if (names.length === 2) {
    const [a, m] = [r.values.ours, r.values.mosquitto];
    cells.push(a !== undefined && m !== undefined && m > 0 ? `${(a / m).toFixed(2)} (${r.better} is better)` : 'n/a');
  }
  return cells;
});
const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(line(header));
for (const t of table) console.log(line(t));
reportLoad('after');
console.log(`\nbench took ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (jsonOut !== '') writeFileSync(jsonOut, JSON.stringify({ durationMs, loadBefore, loadAfter: loadavg(), mosquittoNoDelay: MOSQUITTO_NODELAY, rows }, null, 2));
