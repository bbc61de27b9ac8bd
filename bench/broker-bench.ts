/**
 * npm run bench:broker — the same load against the reference broker and Debian's mosquitto,
 * each in its own process pinned to core 0, load clients (our raw codec client, not MQTT.js)
 * in separate processes pinned to core 1. Cases are short and bounded in count and time.
 * The load clients read the hot path with a lean framer (load/frame-scanner.ts) and write
 * batches, so that one core of them can saturate mosquitto's core; connection setup and
 * SUBACK/CONNACK still go through the strict codec.
 *
 *   --only ours|mosquitto   run one broker only
 *   --cases qos0,qos1,qos2,fanout,latency,memory   (latency: p50, p99, p99.9 and each broker's
 *                           peak RSS (VmHWM) at 5,000 msg/s QoS 1; mosquitto with TCP_NODELAY there)
 *   --duration-ms 3000      per throughput case
 *   --conns 10000           idle connections for the memory case
 *   --json FILE             also write the figures as JSON
 *   --warmup-ms 1000        unmeasured run of the same load before each measured one (0 = none)
 *   --latency-runs 3        latency windows per broker; each percentile is the median of them
 *   --wait-quiet SECS       first wait up to SECS for the 1-minute load average to fall below 1.5
 * The load average is printed before and after, with a warning when it is above 1.5.
 * Environment: BENCH_NO_TASKSET=1 skips core pinning; BENCH_NICE=N runs brokers and load clients
 * at that niceness (default -10 as root, else unchanged; 0 = off), which steadies figures on a
 * machine busy with other work;
 * BENCH_MOSQUITTO_NODELAY=1 sets set_tcp_nodelay in mosquitto; BENCH_OURS_NODE_ARGS adds Node
 * options to our broker's process (e.g. "--max-semi-space-size=1"); BENCH_REFILL_AT=N makes the
 * windowed publisher refill only when N slots are free (default 1: on every ack).
 * The memory case reads RSS after a full GC of our broker (--expose-gc), as V8's memory reducer
 * would reach when idle; mosquitto (malloc) needs no settling. It also measures a bare node:net
 * server (load/bare-server.ts) the same way: the part of ours that Node's sockets alone cost.
 * Figures are only comparable with each other within one run, on an otherwise idle machine.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { hasTaskset, niceness, openFilesHardLimit } from './load/children.ts';
import { latency, memoryPerConnection, throughput, type LatencyResult, type ThroughputResult } from './load/cases.ts';
import { LOAD_LIMIT, reportLoad } from './load/load-report.ts';
import {
  MOSQUITTO,
  MOSQUITTO_NODELAY,
  OURS_ENV,
  OURS_NODE_ARGS,
  peakRssKiB,
  startBareNode,
  startMosquitto,
  startOurs,
  type Target,
} from './load/targets.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const durationMs = Number(arg('duration-ms', '3000'));
const wantConns = Number(arg('conns', '10000'));
const cases = arg('cases', 'qos0,qos1,qos2,fanout,latency,memory').split(',');
const only = arg('only', '');
const jsonOut = arg('json', '');
/** Each broker first gets this much of the same load, unmeasured: JIT compilation (ours runs it on
 *  background threads that share the broker's pinned core) and allocator growth settle first. */
const warmupMs = Number(arg('warmup-ms', '1000'));
/** The latency case measures this many windows of `durationMs` per broker and reports each percentile's median:
 *  a tail figure from one 3-second window moves by 2-3× with whatever else the machine runs meanwhile. */
const latencyRuns = Math.max(1, Number(arg('latency-runs', '3')));
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

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
    console.log(
      `note: the open-files hard limit is ${hard}; ${wantConns} connections need ${need}. Raise it (e.g. \`ulimit -Hn ${need}\` as root, or LimitNOFILE) and rerun. Measuring with ${n} connections.`,
    );
    return n;
  }
  return wantConns;
}

/** `latency`: the latency case, where mosquitto runs with TCP_NODELAY (with Nagle its p99 is tens of ms; ours always sets it). */
const brokers: Array<{ name: string; start: (latency?: boolean) => Promise<Target> }> = [];
if (only === '' || only === 'ours') brokers.push({ name: 'ours', start: () => startOurs() });
if (only === '' || only === 'mosquitto') {
  if (existsSync(MOSQUITTO))
    brokers.push({ name: 'mosquitto', start: (lat) => startMosquitto(lat ? { nodelay: true } : {}) });
  else console.log(`note: ${MOSQUITTO} not found; mosquitto column skipped (apt-get install mosquitto)`);
}

/** Ours runs with OURS_NODE_ARGS (a small young generation, as bin/mqtt-harness.js); the memory case
 *  also measures it under Node's default young generation (16 MB semi-spaces), for comparison. */
const DEFAULT_YOUNG_GEN: string[] = [];

/** A throughput case's note: how busy the broker's core was (below ~90%, the load generator set the pace), and any loss. */
function busyNote(res: ThroughputResult): string {
  const busy = `broker busy ${Math.round(res.brokerBusy * 100)}% of its core${res.brokerBusy < 0.9 ? ' (not saturated: a lower bound)' : ''}`;
  return res.received < res.expected
    ? `${busy}; ${res.expected - res.received} of ${res.expected} not delivered`
    : busy;
}

const rows: Row[] = [];
const row = (c: string, unit: string, better: Row['better']): Row => {
  const r: Row = { case: c, unit, better, values: {}, notes: {} };
  rows.push(r);
  return r;
};

async function withTarget<T>(
  b: { name: string; start: (latency?: boolean) => Promise<Target> },
  f: (t: Target) => Promise<T>,
  latencyCase = false,
): Promise<T> {
  const t = await b.start(latencyCase);
  try {
    return await f(t);
  } finally {
    await t.stop();
  }
}

const fmt = (v: number | undefined, unit: string) =>
  v === undefined || Number.isNaN(v)
    ? 'n/a'
    : unit === 'ms' || unit === 'KiB/conn'
      ? v.toFixed(3)
      : unit === 'MiB'
        ? v.toFixed(1)
        : Math.round(v).toLocaleString('en-US');

console.log(
  `broker bench: ours from a compiled bundle under ${OURS_ENV.join(' ')} node ${OURS_NODE_ARGS.join(' ')}; ${durationMs} ms per throughput case, 64-byte payloads, in-flight window 100, taskset ${hasTaskset ? 'on (broker core 0, load core 1)' : 'not available'}, mosquitto TCP_NODELAY ${MOSQUITTO_NODELAY ? 'on' : 'off (its default)'}, nice ${niceness ?? 'unchanged'}, warm-up ${warmupMs} ms`,
);
/** --wait-quiet SECS: wait up to SECS for the 1-minute load to drop below the limit before starting. */
const waitQuiet = Number(arg('wait-quiet', '0'));
if (waitQuiet > 0 && loadavg()[0] > LOAD_LIMIT) {
  const until = Date.now() + waitQuiet * 1000;
  console.log(
    `waiting up to ${waitQuiet} s for the 1-minute load (${loadavg()[0].toFixed(2)}) to drop below ${LOAD_LIMIT}…`,
  );
  while (Date.now() < until && loadavg()[0] > LOAD_LIMIT) await new Promise((r) => setTimeout(r, 2000));
}
const loadBefore = loadavg();
await reportLoad('before');
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
  const p999 = c === 'latency' ? row('latency p99.9, QoS 1 at 5,000 msg/s', 'ms', 'lower') : undefined;
  const peak = c === 'latency' ? row('broker peak RSS, QoS 1 at 5,000 msg/s', 'MiB', 'lower') : undefined;
  const marginal = c === 'memory' ? row('RSS per idle connection, marginal (N/2 → N)', 'KiB/conn', 'lower') : undefined;
  const small =
    c === 'memory' && brokers.some((b) => b.name === 'ours')
      ? row("RSS per idle connection, ours under Node's default young generation", 'KiB/conn', 'lower')
      : undefined;
  const bare =
    c === 'memory' && brokers.some((b) => b.name === 'ours')
      ? row('RSS per idle connection, bare node:net server (Node floor, same flags)', 'KiB/conn', 'lower')
      : undefined;
  for (const b of brokers) {
    try {
      await withTarget(
        b,
        async (t) => {
          if (c === 'qos0' || c === 'qos1' || c === 'qos2') {
            const q = Number(c.slice(3)) as 0 | 1 | 2;
            if (warmupMs > 0)
              await throughput(t, { qos: q, subs: 1, durationMs: warmupMs, maxCount: 3_000_000, window: 100 });
            const res = await throughput(t, { qos: q, subs: 1, durationMs, maxCount: 3_000_000, window: 100 });
            r.values[b.name] = res.rate;
            r.notes[b.name] = busyNote(res);
          } else if (c === 'fanout') {
            const fan = {
              qos: 0,
              pubQos: 1,
              subs: 100,
              durationMs: Math.min(durationMs, 2000),
              maxCount: 20_000,
              window: 100,
            } as const;
            if (warmupMs > 0) await throughput(t, { ...fan, durationMs: warmupMs, maxCount: 5_000 });
            const res = await throughput(t, fan);
            r.values[b.name] = res.rate;
            r.notes[b.name] = busyNote(res);
          } else if (c === 'latency') {
            if (warmupMs > 0) await latency(t, { rate: 5000, durationMs: warmupMs });
            const runs: LatencyResult[] = [];
            for (let k = 0; k < latencyRuns; k++) runs.push(await latency(t, { rate: 5000, durationMs }));
            r.values[b.name] = median(runs.map((x) => x.p50));
            p99!.values[b.name] = median(runs.map((x) => x.p99));
            p999!.values[b.name] = median(runs.map((x) => x.p999));
            const list = (f: (x: LatencyResult) => number) => runs.map((x) => f(x).toFixed(3)).join(', ');
            p999!.notes[b.name] =
              `median of ${runs.length}: p99 ${list((x) => x.p99)}; p99.9 ${list((x) => x.p999)}; max ${Math.max(...runs.map((x) => x.max)).toFixed(3)}; ${runs.reduce((n, x) => n + x.received, 0)}/${runs.reduce((n, x) => n + x.sent, 0)} received`;
            // VmHWM: the broker process's peak resident memory since it started (start-up, warm-up and this load).
            peak!.values[b.name] = peakRssKiB(t.pid) / 1024;
          } else {
            const res = await memoryPerConnection(t, { conns: connsAllowed() });
            r.values[b.name] = res.kibPerConn;
            r.notes[b.name] =
              `${res.conns} conns${res.failed ? `, ${res.failed} failed (${res.firstError})` : ''}, RSS ${res.baselineKiB} → ${res.halfKiB} → ${res.loadedKiB} KiB`;
            marginal!.values[b.name] = res.marginalKiBPerConn;
          }
        },
        c === 'latency',
      );
    } catch (e) {
      r.notes[b.name] = `failed: ${(e as Error).message.split('\n').slice(0, 6).join(' | ')}`;
    }
    for (const x of [r, p99, p999, peak]) {
      if (x !== undefined)
        console.log(
          `  ${x.case} [${b.name}]: ${fmt(x.values[b.name], x.unit)} ${x.unit}${x.notes[b.name] ? `  (${x.notes[b.name]})` : ''}`,
        );
    }
  }
  if (small !== undefined) {
    try {
      await withTarget({ name: 'ours', start: () => startOurs(DEFAULT_YOUNG_GEN) }, async (t) => {
        const res = await memoryPerConnection(t, { conns: connsAllowed() });
        small.values.ours = res.kibPerConn;
        small.notes.ours = `marginal ${res.marginalKiBPerConn.toFixed(3)}; RSS ${res.baselineKiB} → ${res.halfKiB} → ${res.loadedKiB} KiB`;
      });
    } catch (e) {
      small.notes.ours = `failed: ${(e as Error).message.split('\n')[0]}`;
    }
    console.log(`  ${small.case}: ${fmt(small.values.ours, small.unit)} ${small.unit}  (${small.notes.ours})`);
  }
  if (bare !== undefined) {
    // Shown in the ours column: what Node's own sockets cost, so the part that is the broker's shows.
    try {
      await withTarget({ name: 'bare-node', start: () => startBareNode() }, async (t) => {
        const res = await memoryPerConnection(t, { conns: connsAllowed() });
        bare.values.ours = res.kibPerConn;
        bare.notes.ours = `marginal ${res.marginalKiBPerConn.toFixed(3)}; RSS ${res.baselineKiB} → ${res.halfKiB} → ${res.loadedKiB} KiB`;
      });
    } catch (e) {
      bare.notes.ours = `failed: ${(e as Error).message.split('\n')[0]}`;
    }
    console.log(`  ${bare.case}: ${fmt(bare.values.ours, bare.unit)} ${bare.unit}  (${bare.notes.ours})`);
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
await reportLoad('after');
console.log(`\nbench took ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (jsonOut !== '')
  writeFileSync(
    jsonOut,
    JSON.stringify(
      { durationMs, loadBefore, loadAfter: loadavg(), mosquittoNoDelay: MOSQUITTO_NODELAY, rows },
      null,
      2,
    ),
  );
