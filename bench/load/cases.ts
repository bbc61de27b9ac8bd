import { spawnLoad, type Child } from './children.ts';
import { cpuSeconds, rssKiB, type Target } from './targets.ts';

/** Load clients run pinned to core 1; the broker under test has core 0. */
const LOAD_CORE = 1;

/**
 * Subscriber(s) and publisher: by default one process (pair.ts: one event loop, no process
 * switches on the load core); BENCH_SPLIT_CLIENTS=1 runs them as two processes on that core.
 */
function spawnClients(
  sub: Record<string, string | number>,
  pub: Record<string, string | number>,
): { sub: Child; pub: Child } {
  if (process.env.BENCH_SPLIT_CLIENTS === '1') {
    return {
      sub: spawnLoad('subscriber.ts', LOAD_CORE, sub),
      pub: spawnLoad('publisher.ts', LOAD_CORE, { ...pub, 'pub-qos': pub.qos }),
    };
  }
  // BENCH_CLIENT_NODE_ARGS: Node options for the load process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.BENCH_CLIENT_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const both = spawnLoad('pair.ts', LOAD_CORE, { ...pub, ...sub, 'pub-qos': pub.qos, paired: 'yes' }, nodeArgs);
  return { sub: both, pub: both };
}

export interface ThroughputResult {
  rate: number;
  sent: number;
  received: number;
  expected: number;
  /**
   * The broker's CPU time over the publishing window divided by its length: near 1 when the
   * broker's core was saturated; well below 1 when the load generator set the pace (then `rate`
   * is a lower bound of what the broker can do).
   */
  brokerBusy: number;
}

/** One publisher → `subs` subscriber connections; rate = deliveries per second seen by the subscribers. */
export async function throughput(
  t: Target,
  o: { qos: 0 | 1 | 2; pubQos?: 0 | 1 | 2; subs: number; durationMs: number; maxCount: number; window: number },
): Promise<ThroughputResult> {
  const topic = `bench/${t.name}/${Date.now()}`;
  const { sub, pub } = spawnClients(
    { port: t.port, topic, qos: o.qos, conns: o.subs },
    {
      port: t.port,
      topic,
      qos: o.pubQos ?? o.qos,
      window: o.window,
      'duration-ms': o.durationMs,
      'max-count': o.maxCount,
      payload: 64,
    },
  );
  try {
    await sub.next('ready', 30_000);
    await pub.next('ready', 30_000);
    const cpu0 = cpuSeconds(t.pid);
    const wall0 = performance.now();
    pub.send({ cmd: 'go' });
    const done = await pub.next('done', o.durationMs + 30_000);
    const brokerBusy = (cpuSeconds(t.pid) - cpu0) / ((performance.now() - wall0) / 1000);
    const expected = Number(done.sent) * o.subs;
    sub.send({ cmd: 'finish', expect: expected });
    const r = await sub.next('result', 20_000);
    const secs = Number(BigInt(String(r.lastNs)) - BigInt(String(r.firstNs))) / 1e9;
    const received = Number(r.received);
    return { rate: secs > 0 ? received / secs : 0, sent: Number(done.sent), received, expected, brokerBusy };
  } finally {
    await Promise.all([sub.stop(), pub.stop()]);
  }
}

export interface LatencyResult {
  p50: number;
  p99: number;
  p999: number;
  max: number;
  sent: number;
  received: number;
}

/** QoS 1 at a fixed publish rate; latency from the send stamp in the payload to receipt, in ms. */
export async function latency(t: Target, o: { rate: number; durationMs: number }): Promise<LatencyResult> {
  const topic = `bench/lat/${Date.now()}`;
  const { sub, pub } = spawnClients(
    { port: t.port, topic, qos: 1, conns: 1, latency: 'yes' },
    {
      port: t.port,
      topic,
      qos: 1,
      window: 100,
      'duration-ms': o.durationMs,
      'max-count': Math.ceil((o.rate * o.durationMs) / 1000),
      payload: 64,
      rate: o.rate,
    },
  );
  try {
    await sub.next('ready', 30_000);
    await pub.next('ready', 30_000);
    pub.send({ cmd: 'go' });
    const done = await pub.next('done', o.durationMs + 30_000);
    sub.send({ cmd: 'finish', expect: Number(done.sent) });
    const r = await sub.next('result', 20_000);
    return {
      p50: Number(r.p50),
      p99: Number(r.p99),
      p999: Number(r.p999),
      max: Number(r.max),
      sent: Number(done.sent),
      received: Number(r.received),
    };
  } finally {
    await Promise.all([sub.stop(), pub.stop()]);
  }
}

export interface MemoryResult {
  conns: number;
  failed: number;
  /** (RSS with all connections − warm baseline) / connections. */
  kibPerConn: number;
  /** (RSS at N − RSS at N/2) / (N/2): the cost of one more idle connection, without fixed costs
   *  such as a garbage-collected heap's young generation growing during the connection storm. */
  marginalKiBPerConn: number;
  baselineKiB: number;
  halfKiB: number;
  loadedKiB: number;
  firstError?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** RSS growth of the broker process per idle connection, in two halves (N/2 then N). */
export async function memoryPerConnection(t: Target, o: { conns: number }): Promise<MemoryResult> {
  // Warm up code paths (allocators, JIT) with a few connections first, so the baseline is fair.
  const warm = spawnLoad('idle-conns.ts', LOAD_CORE, { port: t.port, conns: 50, parallel: 50 });
  await warm.next('connected', 30_000);
  warm.send({ cmd: 'finish' });
  await warm.stop('SIGTERM', 2000);
  await sleep(1000);
  await t.settle?.();
  const baselineKiB = rssKiB(t.pid);
  const half = Math.floor(o.conns / 2);
  const a = spawnLoad('idle-conns.ts', LOAD_CORE, { port: t.port, conns: half, parallel: 200 });
  const b = spawnLoad('idle-conns.ts', LOAD_CORE, {
    port: t.port,
    conns: o.conns - half,
    parallel: 200,
    'wait-go': 'yes',
  });
  try {
    const ra = await a.next('connected', 120_000);
    await b.next('ready', 30_000);
    await sleep(1500);
    await t.settle?.();
    const halfKiB = rssKiB(t.pid);
    b.send({ cmd: 'go' });
    const rb = await b.next('connected', 120_000);
    await sleep(1500);
    await t.settle?.();
    const loadedKiB = rssKiB(t.pid);
    const na = Number(ra.n);
    const n = na + Number(rb.n);
    return {
      conns: n,
      failed: Number(ra.failed) + Number(rb.failed),
      kibPerConn: n > 0 ? (loadedKiB - baselineKiB) / n : NaN,
      marginalKiBPerConn: n - na > 0 ? (loadedKiB - halfKiB) / (n - na) : NaN,
      baselineKiB,
      halfKiB,
      loadedKiB,
      ...(ra.firstError || rb.firstError ? { firstError: String(ra.firstError || rb.firstError) } : {}),
    };
  } finally {
    for (const c of [a, b]) c.send({ cmd: 'finish' });
    await Promise.all([a.stop('SIGTERM', 3000), b.stop('SIGTERM', 3000)]);
  }
}
