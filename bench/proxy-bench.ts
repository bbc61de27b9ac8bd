/**
 * npm run bench:proxy — what the fault-injecting proxy costs with MQTT framing on and no toxics.
 *
 * In one run, against Debian's mosquitto and our broker (each started as `bench:broker` starts
 * it, pinned to core 0; mosquitto with its default Nagle setting for throughput, unless
 * BENCH_MOSQUITTO_NODELAY=1, and with TCP_NODELAY for latency):
 *  - the machine's floor: a loopback round trip to another process and within one process;
 *  - QoS 0 throughput, one publisher → one subscriber, 64-byte payload, lean raw-socket
 *    clients, bounded in count and time: direct vs through the harness proxy vs through a plain
 *    `socket.pipe` proxy (the reference point);
 *  - the latency each proxy adds at p50/p99: timestamped QoS 0 messages at a fixed rate, in an
 *    HDR histogram (µs);
 *  - for two placements of the proxies: in their own process (`mqtt-harness proxy`) and inside
 *    the client process (as the resilience scenarios and fleets use the proxy);
 *  - the pipeline's in-process cost per packet, without sockets.
 *
 *   --count 200000  --duration-ms 15000  --rounds 3  --rate 2000  --lat-ms 3000
 *   --placement process,in-process  --no-ours  --no-mosquitto  --only throughput|latency
 *   --no-hot  --json FILE
 *   env PROXY_BENCH_NODE_ARGS: extra node flags for the proxy process (e.g. --cpu-prof)
 * Targets: ≥ 0.9× direct throughput; ≤ 30 µs added at p50.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { MOSQUITTO, MOSQUITTO_NODELAY, startMosquitto, startOurs, type Target } from './load/targets.ts';
import { measureFloor, type Floor } from './proxy/hop-floor.ts';
import { harnessInProcess, harnessProcess, pipeInProcess, pipeProcess, type Hop } from './proxy/hops.ts';
import { hotPath } from './proxy/hot-path.ts';
import { latency, throughput } from './proxy/measure.ts';

const argv = process.argv.slice(2);
const arg = (n: string, d: string): string => {
  const i = argv.indexOf(`--${n}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : d;
};
const num = (n: string, d: string): number => {
  const v = Number(arg(n, d));
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${n} must be a positive number, not "${arg(n, d)}"`);
  return v;
};
const TPUT = { count: num('count', '200000'), durationMs: num('duration-ms', '15000'), window: 10_000 };
const LAT = { rate: num('rate', '2000'), durationMs: num('lat-ms', '3000') };
const ROUNDS = num('rounds', '3');
const ONLY = arg('only', '');
if (ONLY !== '' && ONLY !== 'throughput' && ONLY !== 'latency') throw new Error(`--only must be throughput or latency, not ${ONLY}`);
const RUN_TPUT = ONLY !== 'latency';
const RUN_LAT = ONLY !== 'throughput';
type Placement = 'process' | 'in-process';
const PLACEMENTS = arg('placement', 'process,in-process').split(',') as Placement[];
for (const p of PLACEMENTS) if (p !== 'process' && p !== 'in-process') throw new Error(`--placement takes process and/or in-process, not ${p}`);
const JSON_OUT = arg('json', '');
const PROXY_NODE_ARGS = (process.env.PROXY_BENCH_NODE_ARGS ?? '').split(' ').filter((x) => x !== '');

type Paths = { direct: number; proxy: number; pipe: number };
type Row = Record<string, number>;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const k = (n: number) => `${(n / 1000).toFixed(1)}k`;

/** CPU time (user + system) of a process so far, in ms, from /proc (Linux; 10 ms ticks). */
function cpuMs(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

async function benchThroughput(paths: Paths, pids: Partial<Record<keyof Paths, number>>): Promise<Row> {
  for (const p of Object.values(paths)) await throughput(p, 'warm', TPUT); // JIT, socket buffers
  const runs: Record<string, number[]> = { direct: [], proxy: [], pipe: [] };
  const cpu = { proxy: { ms: 0, msgs: 0 }, pipe: { ms: 0, msgs: 0 } };
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, port] of Object.entries(paths) as Array<[keyof Paths, number]>) {
      const pid = pids[name];
      const before = pid !== undefined ? cpuMs(pid) : 0;
      const res = await throughput(port, `${name}${r}`, TPUT);
      runs[name].push(res.rate);
      if (pid !== undefined && name !== 'direct') (cpu[name].ms += cpuMs(pid) - before), (cpu[name].msgs += res.count);
    }
  }
  const t = Object.fromEntries(Object.entries(runs).map(([n, v]) => [n, median(v)]));
  const us = (c: { ms: number; msgs: number }) => (c.msgs > 0 ? (c.ms * 1000) / c.msgs : NaN);
  console.log(`  QoS 0 throughput, median of ${ROUNDS} (msg/s): direct ${k(t.direct)}  |  harness proxy ${k(t.proxy)} = ${(t.proxy / t.direct).toFixed(2)}×  |  plain pipe ${k(t.pipe)} = ${(t.pipe / t.direct).toFixed(2)}×`);
  console.log(`    rounds: ${Object.entries(runs).map(([n, v]) => `${n} [${v.map(k).join(', ')}]`).join('  ')}`);
  if (pids.proxy !== undefined) {
    console.log(`    proxy process CPU per message (user+sys): harness ${us(cpu.proxy).toFixed(2)} µs, plain pipe ${us(cpu.pipe).toFixed(2)} µs`);
  }
  return {
    direct_msgs: Math.round(t.direct), proxy_msgs: Math.round(t.proxy), pipe_msgs: Math.round(t.pipe),
    ratio: t.proxy / t.direct, pipe_ratio: t.pipe / t.direct,
    ...(pids.proxy !== undefined ? { proxy_cpu_us_per_msg: us(cpu.proxy), pipe_cpu_us_per_msg: us(cpu.pipe) } : {}),
  };
}

async function benchLatency(paths: Paths): Promise<Row> {
  for (const p of Object.values(paths)) await latency(p, 'lwarm', LAT);
  const runs: Record<string, Array<{ p50: number; p99: number }>> = { direct: [], proxy: [], pipe: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, port] of Object.entries(paths)) {
      const h = await latency(port, `l${name}${r}`, LAT);
      runs[name].push({ p50: h.getValueAtPercentile(50), p99: h.getValueAtPercentile(99) });
    }
  }
  const l = Object.fromEntries(Object.entries(runs).map(([n, v]) => [n, { p50: median(v.map((x) => x.p50)), p99: median(v.map((x) => x.p99)) }]));
  console.log(`  one-way latency at ${LAT.rate} msg/s, median of ${ROUNDS} (µs): ` +
    Object.entries(l).map(([n, v]) => `${n} p50 ${v.p50} p99 ${v.p99}`).join('  |  '));
  console.log(`    p50 per round: ${Object.entries(runs).map(([n, v]) => `${n} [${v.map((x) => x.p50).join(', ')}]`).join('  ')}`);
  const add = { p50: l.proxy.p50 - l.direct.p50, p99: l.proxy.p99 - l.direct.p99 };
  const pipeAdd = { p50: l.pipe.p50 - l.direct.p50, p99: l.pipe.p99 - l.direct.p99 };
  console.log(`    added: harness proxy p50 ${add.p50} µs, p99 ${add.p99} µs  |  plain pipe p50 ${pipeAdd.p50} µs, p99 ${pipeAdd.p99} µs`);
  return {
    direct_p50_us: l.direct.p50, direct_p99_us: l.direct.p99, proxy_p50_us: l.proxy.p50, proxy_p99_us: l.proxy.p99,
    added_p50_us: add.p50, added_p99_us: add.p99, pipe_added_p50_us: pipeAdd.p50, pipe_added_p99_us: pipeAdd.p99,
  };
}

async function benchPlacement(t: Target, placement: Placement, what: { tput: boolean; lat: boolean }): Promise<Row> {
  const own = placement === 'process';
  const hops: Hop[] = [];
  try {
    const proxy = await (own ? harnessProcess(t.port, PROXY_NODE_ARGS) : harnessInProcess(t.port));
    hops.push(proxy);
    const pipe = await (own ? pipeProcess(t.port) : pipeInProcess(t.port));
    hops.push(pipe);
    console.log(`\n### ${t.name}, proxies ${own ? 'in their own processes' : 'inside the client process'} (broker :${t.port}, harness proxy :${proxy.port}, plain pipe :${pipe.port})`);
    const paths: Paths = { direct: t.port, proxy: proxy.port, pipe: pipe.port };
    return {
      ...(what.tput ? await benchThroughput(paths, { proxy: proxy.pid, pipe: pipe.pid }) : {}),
      ...(what.lat ? await benchLatency(paths) : {}),
    };
  } finally {
    for (const h of hops) await h.close();
  }
}

function summary(results: Record<string, Row>, floor: Floor): void {
  console.log('\n## Summary (targets: ≥ 0.9× direct throughput, ≤ 30 µs added at p50)');
  console.log('| broker, proxy placement | direct msg/s | harness proxy | plain pipe | added p50 / p99, harness | added p50 / p99, plain pipe |');
  console.log('|---|---|---|---|---|---|');
  for (const [key, r] of Object.entries(results)) {
    const tp = r.ratio !== undefined ? [k(r.direct_msgs), `${k(r.proxy_msgs)} = ${r.ratio.toFixed(2)}×`, `${r.pipe_ratio.toFixed(2)}×`] : ['-', '-', '-'];
    const lat = r.added_p50_us !== undefined ? [`${r.added_p50_us} / ${r.added_p99_us} µs`, `${r.pipe_added_p50_us} / ${r.pipe_added_p99_us} µs`] : ['-', '-'];
    console.log(`| ${key} | ${[...tp, ...lat].join(' | ')} |`);
  }
  console.log(`floor on this machine: a loopback round trip costs ${floor.crossProcessP50} µs p50 to another process and ${floor.inProcessP50} µs within one;`);
  console.log('  a proxy adds two hops per message, so about one round trip is the least a proxy can add in each placement.');
  for (const [key, r] of Object.entries(results)) {
    const v: string[] = [];
    if (r.ratio !== undefined) v.push(`throughput ${r.ratio >= 0.9 ? 'MET' : 'NOT MET'} (${r.ratio.toFixed(2)}×)`);
    if (r.added_p50_us !== undefined) v.push(`added p50 ${r.added_p50_us <= 30 ? 'MET' : 'NOT MET'} (${r.added_p50_us} µs)`);
    console.log(`target, ${key}: ${v.join('; ')}`);
  }
}

async function main(): Promise<void> {
  console.log(`proxy bench: count ${TPUT.count}, max ${TPUT.durationMs} ms per run, ${ROUNDS} rounds, latency ${LAT.rate} msg/s × ${LAT.durationMs} ms, node ${process.version}`);
  const la = loadavg()[0];
  console.log(`machine: ${cpus().length} cores, load average ${la.toFixed(2)}${la > cpus().length * 0.5 ? '  (WARNING: busy machine; figures will be noisy)' : ''}`);
  const floor = await measureFloor();
  console.log(`loopback round trip p50: ${floor.crossProcessP50} µs to another process, ${floor.inProcessP50} µs within this process`);
  if (!argv.includes('--no-hot')) hotPath();
  /** mosquitto measures throughput with its default Nagle setting (as bench:broker does) and latency with TCP_NODELAY. */
  const runs: Array<{ key: string; name: string; start: () => Promise<Target>; tput: boolean; lat: boolean }> = [];
  if (argv.includes('--no-mosquitto')) console.log('mosquitto: skipped (--no-mosquitto)');
  else if (!existsSync(MOSQUITTO)) console.log(`note: ${MOSQUITTO} not found; mosquitto skipped (apt-get install mosquitto)`);
  else {
    if (RUN_TPUT) runs.push({ key: 'mosquitto', name: `mosquitto (${MOSQUITTO_NODELAY ? 'TCP_NODELAY' : 'default Nagle'})`, start: () => startMosquitto(), tput: true, lat: false });
    if (RUN_LAT) runs.push({ key: 'mosquitto', name: 'mosquitto (TCP_NODELAY)', start: () => startMosquitto({ nodelay: true }), tput: false, lat: true });
  }
  if (!argv.includes('--no-ours')) runs.push({ key: 'our broker', name: 'our broker', start: () => startOurs(), tput: RUN_TPUT, lat: RUN_LAT });
  const results: Record<string, Row> = {};
  for (const r of runs) {
    const t = await r.start();
    try {
      for (const p of PLACEMENTS) {
        const key = `${r.key}, ${p}`;
        results[key] = { ...results[key], ...(await benchPlacement({ ...t, name: r.name }, p, r)) };
      }
    } finally {
      await t.stop();
    }
  }
  summary(results, floor);
  if (JSON_OUT !== '') writeFileSync(JSON_OUT, JSON.stringify({ floor, results }, null, 2));
}

main().catch((e) => {
  console.error(`proxy bench failed: ${(e as Error).stack ?? e}`);
  process.exitCode = 1;
});
