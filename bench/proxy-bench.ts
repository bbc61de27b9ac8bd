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
 *  - the harness proxy also with `--busy-poll` (its event loop spins instead of sleeping for a
 *    few ms after traffic), in its own process;
 *  - for two placements of the proxies: in their own process (`mqtt-harness proxy`) and inside
 *    the client process (as the resilience scenarios and fleets use the proxy);
 *  - the pipeline's in-process cost per packet, without sockets.
 *
 *   --count 200000  --duration-ms 15000  --rounds 3  --rate 2000  --lat-ms 3000
 *   --placement process,in-process  --no-ours  --no-mosquitto  --only throughput|latency
 *   --busy-poll 2 (window of the busy-polling proxy path; 0 = leave it out)  --no-hot  --json FILE
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
if (ONLY !== '' && ONLY !== 'throughput' && ONLY !== 'latency')
  throw new Error(`--only must be throughput or latency, not ${ONLY}`);
const RUN_TPUT = ONLY !== 'latency';
const RUN_LAT = ONLY !== 'throughput';
type Placement = 'process' | 'in-process';
const PLACEMENTS = arg('placement', 'process,in-process').split(',') as Placement[];
for (const p of PLACEMENTS)
  if (p !== 'process' && p !== 'in-process') throw new Error(`--placement takes process and/or in-process, not ${p}`);
const JSON_OUT = arg('json', '');
const BUSY_POLL_MS = Number(arg('busy-poll', '2'));
if (!Number.isInteger(BUSY_POLL_MS) || BUSY_POLL_MS < 0 || BUSY_POLL_MS > 1000)
  throw new Error(`--busy-poll takes 0..1000 ms (0 = leave that path out)`);
const PROXY_NODE_ARGS = (process.env.PROXY_BENCH_NODE_ARGS ?? '').split(' ').filter((x) => x !== '');

/** A way to the broker: `direct`, or through one of the proxies (`pid` when it has its own process). */
interface Path {
  key: string;
  label: string;
  port: number;
  pid?: number;
}
type Row = Record<string, number>;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const k = (n: number) => `${(n / 1000).toFixed(1)}k`;
/** The proxied paths, in the order they are printed: harness proxy, harness proxy busy-polling, plain pipe. */
const PROXIED: Array<{ key: string; label: string }> = [
  { key: 'proxy', label: 'harness proxy' },
  { key: 'busy', label: `harness proxy --busy-poll ${BUSY_POLL_MS}` },
  { key: 'pipe', label: 'plain pipe' },
];

/** CPU time (user + system) of a process so far, in ms, from /proc (Linux; 10 ms ticks). */
function cpuMs(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

async function benchThroughput(paths: Path[]): Promise<Row> {
  for (const p of paths) await throughput(p.port, 'warm', TPUT); // JIT, socket buffers
  const runs = new Map(paths.map((p) => [p.key, [] as number[]]));
  const cpu = new Map(paths.map((p) => [p.key, { ms: 0, msgs: 0 }]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const p of paths) {
      const before = p.pid !== undefined ? cpuMs(p.pid) : 0;
      const res = await throughput(p.port, `${p.key}${r}`, TPUT);
      runs.get(p.key)!.push(res.rate);
      if (p.pid !== undefined) {
        cpu.get(p.key)!.ms += cpuMs(p.pid) - before;
        cpu.get(p.key)!.msgs += res.count;
      }
    }
  }
  const t = Object.fromEntries([...runs].map(([key, v]) => [key, median(v)]));
  const out: Row = { direct_msgs: Math.round(t.direct) };
  const parts: string[] = [`direct ${k(t.direct)}`];
  const cpuParts: string[] = [];
  for (const p of paths.slice(1)) {
    out[`${p.key}_msgs`] = Math.round(t[p.key]);
    out[`${p.key}_ratio`] = t[p.key] / t.direct;
    parts.push(`${p.label} ${k(t[p.key])} = ${(t[p.key] / t.direct).toFixed(2)}×`);
    const c = cpu.get(p.key)!;
    if (p.pid !== undefined && c.msgs > 0) {
      out[`${p.key}_cpu_us_per_msg`] = (c.ms * 1000) / c.msgs;
      cpuParts.push(`${p.label} ${((c.ms * 1000) / c.msgs).toFixed(2)} µs`);
    }
  }
  console.log(`  QoS 0 throughput, median of ${ROUNDS} (msg/s): ${parts.join('  |  ')}`);
  console.log(`    rounds: ${[...runs].map(([key, v]) => `${key} [${v.map(k).join(', ')}]`).join('  ')}`);
  if (cpuParts.length > 0)
    console.log(`    proxy process CPU per message (user+sys, 10 ms ticks): ${cpuParts.join(', ')}`);
  return out;
}

async function benchLatency(paths: Path[]): Promise<Row> {
  for (const p of paths) await latency(p.port, 'lwarm', LAT);
  const runs = new Map(paths.map((p) => [p.key, [] as Array<{ p50: number; p99: number }>]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const p of paths) {
      const h = await latency(p.port, `l${p.key}${r}`, LAT);
      runs.get(p.key)!.push({ p50: h.getValueAtPercentile(50), p99: h.getValueAtPercentile(99) });
    }
  }
  const l = Object.fromEntries(
    [...runs].map(([key, v]) => [key, { p50: median(v.map((x) => x.p50)), p99: median(v.map((x) => x.p99)) }]),
  );
  console.log(
    `  one-way latency at ${LAT.rate} msg/s, median of ${ROUNDS} (µs): ` +
      paths.map((p) => `${p.key} p50 ${l[p.key].p50} p99 ${l[p.key].p99}`).join('  |  '),
  );
  console.log(
    `    p50 per round: ${[...runs].map(([key, v]) => `${key} [${v.map((x) => x.p50).join(', ')}]`).join('  ')}`,
  );
  const out: Row = { direct_p50_us: l.direct.p50, direct_p99_us: l.direct.p99 };
  const added: string[] = [];
  for (const p of paths.slice(1)) {
    out[`${p.key}_added_p50_us`] = l[p.key].p50 - l.direct.p50;
    out[`${p.key}_added_p99_us`] = l[p.key].p99 - l.direct.p99;
    added.push(`${p.label} p50 ${l[p.key].p50 - l.direct.p50} µs, p99 ${l[p.key].p99 - l.direct.p99} µs`);
  }
  console.log(`    added: ${added.join('  |  ')}`);
  return out;
}

async function benchPlacement(t: Target, placement: Placement, what: { tput: boolean; lat: boolean }): Promise<Row> {
  const own = placement === 'process';
  const hops: Hop[] = [];
  const paths: Path[] = [{ key: 'direct', label: 'direct', port: t.port }];
  const add = async (key: string, hop: Promise<Hop>) => {
    const h = await hop;
    hops.push(h);
    paths.push({ key, label: PROXIED.find((x) => x.key === key)!.label, port: h.port, pid: h.pid });
  };
  try {
    await add('proxy', own ? harnessProcess(t.port, PROXY_NODE_ARGS) : harnessInProcess(t.port));
    // Busy polling only in its own process: inside the client process it would keep the
    // clients' loop awake too, and so speed up the client rather than show the proxy's cost.
    if (own && BUSY_POLL_MS > 0)
      await add('busy', harnessProcess(t.port, PROXY_NODE_ARGS, ['--busy-poll', String(BUSY_POLL_MS)]));
    await add('pipe', own ? pipeProcess(t.port) : pipeInProcess(t.port));
    console.log(
      `\n### ${t.name}, proxies ${own ? 'in their own processes' : 'inside the client process'} (${paths.map((p) => `${p.label} :${p.port}`).join(', ')})`,
    );
    return { ...(what.tput ? await benchThroughput(paths) : {}), ...(what.lat ? await benchLatency(paths) : {}) };
  } finally {
    for (const h of hops) await h.close();
  }
}

function summary(results: Record<string, Row>, floor: Floor): void {
  console.log('\n## Summary (targets: ≥ 0.9× direct throughput, ≤ 30 µs added at p50)');
  console.log(
    `| broker, proxy placement | direct msg/s | ${PROXIED.map((p) => `${p.label}: throughput, added p50 / p99`).join(' | ')} |`,
  );
  console.log(`|---|---|${PROXIED.map(() => '---|').join('')}`);
  for (const [key, r] of Object.entries(results)) {
    const cells = PROXIED.map(({ key: pk }) => {
      const tp = r[`${pk}_ratio`] !== undefined ? `${r[`${pk}_ratio`].toFixed(2)}×` : '-';
      const lat =
        r[`${pk}_added_p50_us`] !== undefined ? `${r[`${pk}_added_p50_us`]} / ${r[`${pk}_added_p99_us`]} µs` : '-';
      return tp === '-' && lat === '-' ? 'n/a' : `${tp}, ${lat}`;
    });
    console.log(`| ${key} | ${r.direct_msgs !== undefined ? k(r.direct_msgs) : '-'} | ${cells.join(' | ')} |`);
  }
  console.log(
    `for scale: a loopback round trip to an echo server, 1 ms apart, costs ${floor.crossProcessP50} µs p50 to another process and ${floor.inProcessP50} µs within one;`,
  );
  console.log('  a proxy puts two more such hops on every message.');
  for (const [key, r] of Object.entries(results)) {
    for (const { key: pk, label } of PROXIED) {
      const v: string[] = [];
      if (r[`${pk}_ratio`] !== undefined)
        v.push(`throughput ${r[`${pk}_ratio`] >= 0.9 ? 'MET' : 'NOT MET'} (${r[`${pk}_ratio`].toFixed(2)}×)`);
      if (r[`${pk}_added_p50_us`] !== undefined)
        v.push(`added p50 ${r[`${pk}_added_p50_us`] <= 30 ? 'MET' : 'NOT MET'} (${r[`${pk}_added_p50_us`]} µs)`);
      if (v.length > 0 && pk !== 'pipe') console.log(`target, ${key}, ${label}: ${v.join('; ')}`);
    }
  }
}

async function main(): Promise<void> {
  console.log(
    `proxy bench: count ${TPUT.count}, max ${TPUT.durationMs} ms per run, ${ROUNDS} rounds, latency ${LAT.rate} msg/s × ${LAT.durationMs} ms, node ${process.version}`,
  );
  const la = loadavg()[0];
  console.log(
    `machine: ${cpus().length} cores, load average ${la.toFixed(2)}${la > cpus().length * 0.5 ? '  (WARNING: busy machine; figures will be noisy)' : ''}`,
  );
  const floor = await measureFloor();
  console.log(
    `loopback round trip p50: ${floor.crossProcessP50} µs to another process, ${floor.inProcessP50} µs within this process`,
  );
  if (!argv.includes('--no-hot')) hotPath();
  /** mosquitto measures throughput with its default Nagle setting (as bench:broker does) and latency with TCP_NODELAY. */
  const runs: Array<{ key: string; name: string; start: () => Promise<Target>; tput: boolean; lat: boolean }> = [];
  if (argv.includes('--no-mosquitto')) console.log('mosquitto: skipped (--no-mosquitto)');
  else if (!existsSync(MOSQUITTO))
    console.log(`note: ${MOSQUITTO} not found; mosquitto skipped (apt-get install mosquitto)`);
  else {
    if (RUN_TPUT)
      runs.push({
        key: 'mosquitto',
        name: `mosquitto (${MOSQUITTO_NODELAY ? 'TCP_NODELAY' : 'default Nagle'})`,
        start: () => startMosquitto(),
        tput: true,
        lat: false,
      });
    if (RUN_LAT)
      runs.push({
        key: 'mosquitto',
        name: 'mosquitto (TCP_NODELAY)',
        start: () => startMosquitto({ nodelay: true }),
        tput: false,
        lat: true,
      });
  }
  if (!argv.includes('--no-ours'))
    runs.push({ key: 'our broker', name: 'our broker', start: () => startOurs(), tput: RUN_TPUT, lat: RUN_LAT });
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
