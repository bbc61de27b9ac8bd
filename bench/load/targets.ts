import { createServer, connect } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnLoad, spawnPinned, type Child } from './children.ts';

export const MOSQUITTO = '/usr/sbin/mosquitto';

export interface Target {
  name: string;
  port: number;
  pid: number;
  /** Bring the process to a settled memory state before an RSS reading (a full GC for Node). */
  settle?(): Promise<void>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForPort(port: number, child: Child, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exited) throw new Error(`${child.name} exited with code ${child.exitCode} before listening`);
    const ok = await new Promise<boolean>((r) => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => (s.destroy(), r(true)));
      s.once('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${child.name} did not listen on ${port} within ${timeoutMs} ms`);
}

/** Node options of our broker in the bench: the same small young generation as bin/mqtt-harness.js. */
export const OURS_NODE_ARGS = ['--max-semi-space-size=4'];
/**
 * Environment of our broker in the bench, as bin/mqtt-harness.js sets it: at most two glibc malloc
 * arenas. Each of V8's worker threads (concurrent compilation and marking) otherwise gets an arena
 * of its own that keeps its peak size; measured here as 2.5 MB of peak RSS under the latency load.
 */
export const OURS_ENV = ['MALLOC_ARENA_MAX=2'];

const bundled = new Map<string, string>();
/**
 * our-broker.ts compiled once per bench run into one JavaScript file (esbuild), as a deployment
 * would run it: under tsx, Node 20 runs the TypeScript loader hooks on their own thread with their
 * own V8 heap, which adds about 45 MB of RSS that is not the broker's (measured 103 vs 55 MB idle).
 */
async function bundledBroker(entry = 'our-broker'): Promise<string> {
  const done = bundled.get(entry);
  if (done !== undefined) return done;
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'bench-ours-'));
  const out = join(dir, `${entry}.mjs`);
  await build({
    entryPoints: [fileURLToPath(new URL(`./${entry}.ts`, import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    logLevel: 'warning',
    // Without comments the source is pure ASCII: V8 then holds it as a one-byte string (1 MB)
    // instead of a two-byte one (2.8 MB; a few non-ASCII characters in dependencies' comments).
    minifyWhitespace: true,
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  });
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  bundled.set(entry, out);
  return out;
}

/** A Node child that says `ready` with its port and pid, and answers `gc` with `gc-done` (settle). */
async function nodeTarget(name: string, c: Child): Promise<Target> {
  const ready = await c.next('ready', 20_000);
  return {
    name,
    port: Number(ready.port),
    pid: Number(ready.pid),
    settle: async () => {
      c.send({ cmd: 'gc' });
      await c.next('gc-done', 10_000);
    },
    stop: () => c.stop(),
  };
}

/**
 * The reference broker in its own process, pinned to core 0, from the compiled bundle
 * (BENCH_OURS_TSX=1: through tsx instead). `nodeArgs` replaces OURS_NODE_ARGS;
 * BENCH_OURS_NODE_ARGS adds Node options, e.g. "--max-semi-space-size=1".
 */
export async function startOurs(nodeArgs?: string[]): Promise<Target> {
  const extra = [
    ...(nodeArgs ?? OURS_NODE_ARGS),
    ...(process.env.BENCH_OURS_NODE_ARGS ?? '').split(' ').filter((a) => a !== ''),
  ];
  const c =
    process.env.BENCH_OURS_TSX === '1'
      ? spawnLoad('our-broker.ts', 0, {}, ['--expose-gc', ...extra])
      : spawnPinned('our-broker', 0, 'env', [
          ...OURS_ENV,
          process.execPath,
          '--expose-gc',
          ...extra,
          await bundledBroker(),
        ]);
  return nodeTarget('ours', c);
}

/**
 * A bare node:net server (bare-server.ts) under the same bundle, Node options and environment as
 * ours: the memory case's reference point for what Node's own sockets cost per connection.
 */
export async function startBareNode(): Promise<Target> {
  const c = spawnPinned('bare-node', 0, 'env', [
    ...OURS_ENV,
    process.execPath,
    '--expose-gc',
    ...OURS_NODE_ARGS,
    await bundledBroker('bare-server'),
  ]);
  return nodeTarget('bare-node', c);
}

/**
 * mosquitto runs with its default Nagle setting unless BENCH_MOSQUITTO_NODELAY=1. It writes every
 * packet with its own write(); with TCP_NODELAY each one is a TCP segment and it loses about a
 * third of its QoS 0 throughput here (≈100k vs ≈150k msg/s), so its default is the stronger baseline.
 */
export const MOSQUITTO_NODELAY = process.env.BENCH_MOSQUITTO_NODELAY === '1';

/**
 * Debian's mosquitto with a generated config (same window and queue sizes as ours), pinned to core 0.
 * `nodelay` overrides BENCH_MOSQUITTO_NODELAY (latency runs want it: with Nagle, p99 is tens of ms).
 */
export async function startMosquitto(opts: { nodelay?: boolean } = {}): Promise<Target> {
  const nodelay = opts.nodelay ?? MOSQUITTO_NODELAY;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'bench-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      'max_inflight_messages 100',
      'max_queued_messages 100000',
      'max_connections -1',
      ...(nodelay ? ['set_tcp_nodelay true'] : []),
      'log_dest stderr',
      'log_type error',
      '',
    ].join('\n'),
  );
  const c = spawnPinned('mosquitto', 0, MOSQUITTO, ['-c', conf]);
  try {
    await waitForPort(port, c, 5000);
  } catch (e) {
    await c.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    name: 'mosquitto',
    port,
    pid: c.pid,
    stop: async () => {
      await c.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Peak resident memory of a process since it started, in KiB (VmHWM from /proc). */
export function peakRssKiB(pid: number): number {
  const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (m === null) throw new Error(`no VmHWM for pid ${pid}`);
  return Number(m[1]);
}

/**
 * CPU time a process (all its threads) has used so far, in seconds: utime + stime from
 * /proc/PID/stat, in clock ticks of 1/100 s (Linux's USER_HZ).
 */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "pid (comm) ": state is field 3 of the line, utime 14 and stime 15.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resident memory of a process in KiB (VmRSS from /proc). */
export function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (m === null) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]);
}
