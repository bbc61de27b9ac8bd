/**
 * npm run bench:proxy — what the fault-injecting proxy costs with MQTT framing on and no toxics.
 *
 * In one run, against Debian's mosquitto (and our broker when it is available):
 *  - QoS 0 throughput, one publisher → one subscriber, 64-byte payload, lean raw-socket clients
 *    (our codec for CONNECT/SUBSCRIBE/PUBLISH encoding, a fixed-header scanner on receive),
 *    bounded in count and time: direct to the broker vs through the proxy (and vs a plain
 *    `socket.pipe` proxy as a reference point);
 *  - latency added by the proxy at p50/p99: timestamped QoS 0 messages at a fixed rate,
 *    recorded in an HDR histogram (µs).
 * The proxies run in their own processes (the proxy via `mqtt-harness proxy`), like in use.
 *
 *   --count 200000  --duration-ms 15000  --rounds 3  --rate 2000  --lat-ms 3000
 *   --no-ours (mosquitto only)  --no-mosquitto  --only throughput|latency  --no-hot  --json FILE
 *   env PROXY_BENCH_NODE_ARGS: extra node flags for the proxy process (e.g. --cpu-prof --cpu-prof-dir=DIR)
 * Targets: ≥ 0.9× direct throughput; ≤ 30 µs added at p50.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as hdr from 'hdr-histogram-js';
import { encodePacket } from '../src/codec/index.ts';
import { Pipe } from '../src/proxy/pipe.ts';
import type { Socket as NetSocket } from 'node:net';

const argv = process.argv.slice(2);
const arg = (n: string, d: string): string => {
  const i = argv.indexOf(`--${n}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : d;
};
const COUNT = Number(arg('count', '200000'));
const DURATION_MS = Number(arg('duration-ms', '15000'));
const ROUNDS = Number(arg('rounds', '3'));
const RATE = Number(arg('rate', '2000'));
const LAT_MS = Number(arg('lat-ms', '3000'));
const WITH_OURS = !argv.includes('--no-ours');
const WITH_MOSQUITTO = !argv.includes('--no-mosquitto');
const WITH_HOT = !argv.includes('--no-hot');
const ONLY = arg('only', '');
const RUN_TPUT = ONLY === '' || ONLY === 'throughput';
const RUN_LAT = ONLY === '' || ONLY === 'latency';
if (ONLY !== '' && !RUN_TPUT && !RUN_LAT) throw new Error(`--only must be throughput or latency, not ${ONLY}`);
const JSON_OUT = arg('json', '');
const WINDOW = 10_000;
/** Extra node flags for the harness proxy process, e.g. PROXY_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
const PROXY_NODE_ARGS = (process.env.PROXY_BENCH_NODE_ARGS ?? '').split(' ').filter((x) => x !== '');
const MOSQUITTO = '/usr/sbin/mosquitto';
const CLI = fileURLToPath(new URL('../bin/mqtt-harness.js', import.meta.url));

const children: ChildProcess[] = [];
const cleanups: Array<() => void> = [];
function spawnChild(cmd: string, args: string[]): { proc: ChildProcess; out: () => string } {
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(proc);
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  return { proc, out: () => out };
}
async function waitMatch(get: () => string, re: RegExp, what: string, ms = 20_000): Promise<RegExpMatchArray> {
  const end = Date.now() + ms;
  for (;;) {
    const m = get().match(re);
    if (m) return m;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; output so far:\n${get()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}
async function waitPort(port: number, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((r) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), r(true)));
      s.once('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`nothing listening on ${port} after ${ms} ms`);
}

async function startMosquitto(): Promise<number> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'proxy-bench-mosq-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nset_tcp_nodelay true\nmax_queued_messages 100000\nlog_dest stderr\nlog_type error\n`);
  spawnChild(MOSQUITTO, ['-c', conf]);
  await waitPort(port);
  return port;
}
async function startOurBroker(): Promise<number> {
  const c = spawnChild(process.execPath, [CLI, 'broker', '--port', '0', '--log-level', 'error']);
  const m = await waitMatch(c.out, /listening on mqtt:\/\/127\.0\.0\.1:(\d+)/, 'our broker');
  return Number(m[1]);
}
interface Hop {
  port: number;
  pid: number;
}
async function startHarnessProxy(upstream: number): Promise<Hop> {
  const c = spawnChild(process.execPath, [...PROXY_NODE_ARGS, CLI, 'proxy', '--upstream', `mqtt://127.0.0.1:${upstream}`, '--seed', '1']);
  const m = await waitMatch(c.out, /proxy listening on mqtt:\/\/127\.0\.0\.1:(\d+)/, 'harness proxy');
  return { port: Number(m[1]), pid: c.proc.pid! };
}
/** CPU time (user + system) of a process so far, in ms, from /proc (Linux). */
function cpuMs(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime in USER_HZ (100)
  } catch {
    return NaN;
  }
}
const PIPE_PROXY = `
const net = require('node:net'); const up = Number(process.argv[1]);
const srv = net.createServer((c) => { c.setNoDelay(true); const u = net.connect(up, '127.0.0.1'); u.setNoDelay(true);
  c.pipe(u); u.pipe(c); c.on('error', () => u.destroy()); u.on('error', () => c.destroy()); });
srv.listen(0, '127.0.0.1', () => console.log('pipe listening on ' + srv.address().port));`;
async function startPipeProxy(upstream: number): Promise<Hop> {
  const c = spawnChild(process.execPath, ['-e', PIPE_PROXY, String(upstream)]);
  return { port: Number((await waitMatch(c.out, /pipe listening on (\d+)/, 'pipe proxy'))[1]), pid: c.proc.pid! };
}

/** A lean MQTT 3.1.1 client: our codec to encode, a fixed-header scanner to receive. */
class Lean {
  private pending: Buffer | null = null;
  publishes = 0;
  onPublish: ((frame: Buffer, bodyStart: number) => void) | undefined;
  private waiter: { type: number; resolve: () => void } | undefined;
  private constructor(readonly s: Socket) {
    s.on('data', (c: Buffer) => this.data(c));
    s.on('error', () => {});
  }
  static async open(port: number, id: string): Promise<Lean> {
    const s = connect(port, '127.0.0.1');
    s.setNoDelay(true);
    await new Promise<void>((r, j) => (s.once('connect', r), s.once('error', j)));
    const c = new Lean(s);
    const ack = c.expect(2);
    s.write(encodePacket({ type: 'connect', protocolName: 'MQTT', protocolLevel: 4, clean: true, keepAlive: 60, clientId: id }, 4));
    await ack;
    return c;
  }
  expect(type: number, ms = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no packet type ${type} within ${ms} ms`)), ms);
      this.waiter = { type, resolve: () => (clearTimeout(t), resolve()) };
    });
  }
  async subscribe(topic: string): Promise<void> {
    const ack = this.expect(9);
    this.s.write(encodePacket({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: topic, qos: 0 }] }, 4));
    await ack;
  }
  private data(chunk: Buffer): void {
    let b = this.pending === null ? chunk : Buffer.concat([this.pending, chunk]);
    this.pending = null;
    let off = 0;
    while (off < b.length) {
      let rl = 0;
      let mul = 1;
      let i = off + 1;
      for (;;) {
        if (i >= b.length) return void (this.pending = b.subarray(off));
        const d = b[i++];
        rl += (d & 0x7f) * mul;
        mul *= 128;
        if ((d & 0x80) === 0) break;
      }
      if (i + rl > b.length) return void (this.pending = b.subarray(off));
      const type = b[off] >> 4;
      if (type === 3) {
        this.publishes++;
        this.onPublish?.(b, i);
      } else if (this.waiter?.type === type) this.waiter.resolve();
      off = i + rl;
    }
    if (this.publishes > 0 && this.waiter?.type === 3) this.waiter.resolve();
  }
  close(): void {
    this.s.destroy();
  }
}

const topicOf = (n: string) => `bench/${n}/${process.pid}/${Date.now()}`;

/** QoS 0 msg/s seen by the subscriber; the publisher keeps at most WINDOW messages unreceived. */
async function throughput(port: number, tag: string): Promise<{ rate: number; count: number }> {
  const topic = topicOf(tag);
  const sub = await Lean.open(port, `bs-${tag}`);
  const pub = await Lean.open(port, `bp-${tag}`);
  try {
    await sub.subscribe(topic);
    const one = encodePacket({ type: 'publish', topic, payload: Buffer.alloc(64, 0x61), qos: 0, retain: false, dup: false }, 4);
    const batch = Buffer.concat(Array.from({ length: 100 }, () => one));
    let sent = 0;
    const t0 = performance.now();
    const deadline = t0 + DURATION_MS;
    await new Promise<void>((resolve) => {
      const pump = () => {
        while (sent < COUNT && sent - sub.publishes < WINDOW && performance.now() < deadline) {
          sent += 100;
          if (!pub.s.write(batch)) return void pub.s.once('drain', pump);
        }
        if (sub.publishes >= COUNT || performance.now() >= deadline) return resolve();
        setImmediate(pump);
      };
      pump();
    });
    const secs = (performance.now() - t0) / 1000;
    return { rate: sub.publishes / secs, count: sub.publishes };
  } finally {
    sub.close();
    pub.close();
  }
}

/** One-way latency (µs) of QoS 0 messages published at RATE/s for LAT_MS. */
async function latency(port: number, tag: string): Promise<hdr.Histogram> {
  const topic = topicOf(tag);
  const sub = await Lean.open(port, `ls-${tag}`);
  const pub = await Lean.open(port, `lp-${tag}`);
  const h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  try {
    await sub.subscribe(topic);
    const topicLen = Buffer.byteLength(topic);
    sub.onPublish = (b, i) => {
      const sentAt = b.readDoubleLE(i + 2 + topicLen);
      h.recordValue(Math.max(1, Math.round((performance.now() - sentAt) * 1000)));
    };
    const msg = encodePacket({ type: 'publish', topic, payload: Buffer.alloc(64), qos: 0, retain: false, dup: false }, 4);
    const stampAt = msg.length - 64;
    const total = Math.floor((RATE * LAT_MS) / 1000);
    let sent = 0;
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      const iv = setInterval(() => {
        const due = Math.min(total, Math.floor(((performance.now() - t0) * RATE) / 1000));
        while (sent < due) {
          const m = Buffer.from(msg);
          m.writeDoubleLE(performance.now(), stampAt);
          pub.s.write(m);
          sent++;
        }
        if (sent >= total) (clearInterval(iv), resolve());
      }, 1);
    });
    const end = performance.now() + 2000;
    while (sub.publishes < total && performance.now() < end) await new Promise((r) => setTimeout(r, 10));
    return h;
  } finally {
    sub.close();
    pub.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const k = (n: number) => `${(n / 1000).toFixed(1)}k`;

async function benchBroker(name: string, brokerPort: number): Promise<Record<string, number>> {
  const proxy = await startHarnessProxy(brokerPort);
  const pipe = await startPipeProxy(brokerPort);
  const paths = { direct: brokerPort, proxy: proxy.port, pipe: pipe.port } as const;
  const pids: Record<string, number> = { proxy: proxy.pid, pipe: pipe.pid };
  console.log(`\n## ${name} (broker :${brokerPort}, harness proxy :${proxy.port} with MQTT framing, plain pipe proxy :${pipe.port})`);
  const out: Record<string, number> = {};
  if (RUN_TPUT) Object.assign(out, await benchThroughput(paths, pids));
  if (RUN_LAT) Object.assign(out, await benchLatency(paths));
  return out;
}

async function benchThroughput(paths: Record<string, number>, pids: Record<string, number>): Promise<Record<string, number>> {
  for (const p of Object.values(paths)) await throughput(p, 'warm'); // JIT, socket buffers
  const tput: Record<string, number[]> = { direct: [], proxy: [], pipe: [] };
  const cpu: Record<string, { ms: number; msgs: number }> = { proxy: { ms: 0, msgs: 0 }, pipe: { ms: 0, msgs: 0 } };
  for (let r = 0; r < ROUNDS; r++) {
    for (const [k2, p] of Object.entries(paths)) {
      const before = pids[k2] !== undefined ? cpuMs(pids[k2]) : 0;
      const res = await throughput(p, `${k2}${r}`);
      tput[k2].push(res.rate);
      if (pids[k2] !== undefined) {
        cpu[k2].ms += cpuMs(pids[k2]) - before;
        cpu[k2].msgs += res.count;
      }
    }
  }
  const t = Object.fromEntries(Object.entries(tput).map(([k2, v]) => [k2, median(v)]));
  const usPerMsg = (c: { ms: number; msgs: number }) => (c.msgs > 0 ? (c.ms * 1000) / c.msgs : NaN);
  console.log(`QoS 0 throughput, 64-byte payload, median of ${ROUNDS} (msg/s): direct ${k(t.direct)}  |  harness proxy ${k(t.proxy)} = ${(t.proxy / t.direct).toFixed(2)}× direct  |  plain pipe ${k(t.pipe)} = ${(t.pipe / t.direct).toFixed(2)}×`);
  console.log(`  rounds: ${Object.entries(tput).map(([k2, v]) => `${k2} [${v.map(k).join(', ')}]`).join('  ')}`);
  const best = Object.fromEntries(Object.entries(tput).map(([k2, v]) => [k2, Math.max(...v)]));
  console.log(`  best of ${ROUNDS}: direct ${k(best.direct)}  harness proxy ${k(best.proxy)} = ${(best.proxy / best.direct).toFixed(2)}×  plain pipe ${k(best.pipe)} = ${(best.pipe / best.direct).toFixed(2)}×`);
  console.log(`  proxy process CPU per message (user+sys, 10 ms tick resolution): harness ${usPerMsg(cpu.proxy).toFixed(2)} µs, plain pipe ${usPerMsg(cpu.pipe).toFixed(2)} µs`);
  console.log(`target throughput ≥ 0.9× direct: ${t.proxy / t.direct >= 0.9 ? 'MET' : 'NOT MET'} (${(t.proxy / t.direct).toFixed(2)}×)`);
  return {
    direct_msgs: Math.round(t.direct), proxy_msgs: Math.round(t.proxy), pipe_msgs: Math.round(t.pipe), ratio: t.proxy / t.direct,
    proxy_cpu_us_per_msg: usPerMsg(cpu.proxy), pipe_cpu_us_per_msg: usPerMsg(cpu.pipe),
  };
}

async function benchLatency(paths: Record<string, number>): Promise<Record<string, number>> {
  const lat: Record<string, { p50: number; p99: number; n: number }> = {};
  const runs: Record<string, Array<{ p50: number; p99: number; n: number }>> = { direct: [], proxy: [], pipe: [] };
  for (const p of Object.values(paths)) await latency(p, 'lwarm'); // warm-up pass
  for (let r = 0; r < ROUNDS; r++) {
    for (const [k2, p] of Object.entries(paths)) {
      const h = await latency(p, `l${k2}${r}`);
      runs[k2].push({ p50: h.getValueAtPercentile(50), p99: h.getValueAtPercentile(99), n: h.totalCount });
    }
  }
  for (const [k2, v] of Object.entries(runs)) lat[k2] = { p50: median(v.map((x) => x.p50)), p99: median(v.map((x) => x.p99)), n: v.reduce((a, x) => a + x.n, 0) };
  console.log(`latency at ${RATE} msg/s for ${LAT_MS} ms, median of ${ROUNDS} rounds (µs, one way): ` +
    Object.entries(lat).map(([k2, v]) => `${k2} p50 ${v.p50} p99 ${v.p99} (n=${v.n})`).join('  |  '));
  console.log(`  p50 per round: ${Object.entries(runs).map(([k2, v]) => `${k2} [${v.map((x) => x.p50).join(', ')}]`).join('  ')}`);
  const add50 = lat.proxy.p50 - lat.direct.p50;
  const add99 = lat.proxy.p99 - lat.direct.p99;
  console.log(`added by the harness proxy: p50 ${add50} µs, p99 ${add99} µs   (plain pipe adds p50 ${lat.pipe.p50 - lat.direct.p50} µs, p99 ${lat.pipe.p99 - lat.direct.p99} µs)`);
  console.log(`target ≤ 30 µs added at p50: ${add50 <= 30 ? 'MET' : 'NOT MET'} (${add50} µs)`);
  return {
    direct_p50_us: lat.direct.p50, direct_p99_us: lat.direct.p99, proxy_p50_us: lat.proxy.p50, proxy_p99_us: lat.proxy.p99,
    added_p50_us: add50, added_p99_us: add99, pipe_added_p50_us: lat.pipe.p50 - lat.direct.p50,
  };
}

/**
 * In-process cost of the proxy's per-direction pipeline (no sockets): 64-byte QoS 0 PUBLISHes in
 * 64 KiB chunks and one packet per chunk, in scan mode (no MQTT toxic) and split mode (packets
 * cut out one by one, as when an MQTT-aware toxic is active, with a pass-through stage).
 */
function hotPath(): void {
  const one = encodePacket({ type: 'publish', topic: 'bench/t', payload: Buffer.alloc(64, 0x61), qos: 0, retain: false, dup: false }, 4);
  const per = Math.floor(65536 / one.length);
  const big = Buffer.concat(Array.from({ length: per }, () => one));
  const fake = { pause() {}, resume() {}, on() {}, cork() {}, uncork() {}, write: () => true, destroyed: false, writableEnded: false } as unknown as NetSocket;
  const host = { onConnect() {}, fallback(r: string) { throw new Error(r); }, resetOnEnd: false, decode: false, protocolLevel: 4 as const, violation() {} };
  const measure = (label: string, split: boolean, chunk: Buffer, packetsPerChunk: number, iters: number) => {
    const pipe = new Pipe(host, 'downstream', fake, fake, true);
    if (split) pipe.insert({ name: 'pass', mqtt: true, stage: { push: (u) => pipe.sink(u), end() {}, dispose() {} }, next: null });
    for (let i = 0; i < iters / 10; i++) pipe.onData(chunk); // warm-up
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < iters; i++) pipe.onData(chunk);
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const pkts = iters * packetsPerChunk;
    console.log(`  ${label}: ${((wall * 1e6) / pkts).toFixed(0)} ns/packet wall, ${(((c.user + c.system) * 1e3) / pkts).toFixed(0)} ns/packet CPU (${pkts} packets)`);
  };
  console.log('\n## proxy pipeline in-process (no sockets), 64-byte QoS 0 PUBLISH');
  measure('scan mode, 64 KiB chunks     ', false, big, per, 2000);
  measure('scan mode, 1 packet per chunk', false, one, 1, 500_000);
  measure('split mode, 64 KiB chunks    ', true, big, per, 500);
  measure('split mode, 1 packet/chunk   ', true, one, 1, 300_000);
}

async function main(): Promise<void> {
  console.log(`proxy bench: count ${COUNT}, max ${DURATION_MS} ms per run, ${ROUNDS} rounds, latency ${RATE} msg/s × ${LAT_MS} ms, node ${process.version}`);
  const la = loadavg()[0];
  console.log(`machine: ${cpus().length} cores, load average ${la.toFixed(2)}${la > cpus().length * 0.5 ? '  (WARNING: busy machine; figures will be noisy)' : ''}`);
  const results: Record<string, Record<string, number>> = {};
  if (WITH_HOT) hotPath();
  if (!WITH_MOSQUITTO) console.log('mosquitto: skipped (--no-mosquitto)');
  else if (!existsSync(MOSQUITTO)) console.log(`note: ${MOSQUITTO} not found; mosquitto skipped (apt-get install mosquitto)`);
  else results.mosquitto = await benchBroker('mosquitto 2.x (Debian)', await startMosquitto());
  const ours = fileURLToPath(new URL('../src/broker/index.ts', import.meta.url));
  if (WITH_OURS && existsSync(ours)) {
    try {
      results.ours = await benchBroker('our broker', await startOurBroker());
    } catch (e) {
      console.log(`our broker: skipped (${(e as Error).message.split('\n')[0]})`);
    }
  }
  if (JSON_OUT !== '') writeFileSync(JSON_OUT, JSON.stringify(results, null, 2));
}

const stopAll = () => {
  for (const c of children) if (c.exitCode === null && c.pid !== undefined) c.kill('SIGTERM');
  for (const f of cleanups) f();
};
main()
  .catch((e) => {
    console.error(`proxy bench failed: ${(e as Error).stack ?? e}`);
    process.exitCode = 1;
  })
  .finally(stopAll);
