/**
 * The paths a benchmark message can take to the broker besides the direct one: the harness
 * proxy (MQTT framing on, no toxics) and a plain `socket.pipe` proxy as the reference point,
 * each either in its own process (as `mqtt-harness proxy` runs) or inside the client process
 * (as the resilience scenarios and fleets run it).
 */
import { spawn } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createProxy } from '../../src/proxy/index.ts';
import { Child } from '../load/children.ts';

export interface Hop {
  port: number;
  /** The proxy's own process, when it has one (for CPU accounting). */
  pid?: number;
  close(): Promise<void>;
}

const CLI = fileURLToPath(new URL('../../bin/mqtt-harness.js', import.meta.url));

async function lineOf(c: Child, re: RegExp, what: string): Promise<RegExpMatchArray> {
  const m = await c.next('line', 20_000, (x) => re.test(String(x.text)));
  return (
    re.exec(String(m.text)) ??
    (() => {
      throw new Error(`no ${what} line`);
    })()
  );
}

/** `mqtt-harness proxy` in its own process; extra Node flags from PROXY_BENCH_NODE_ARGS. */
export async function harnessProcess(upstream: number, nodeArgs: string[], extra: string[] = []): Promise<Hop> {
  const proc = spawn(
    process.execPath,
    [...nodeArgs, CLI, 'proxy', '--upstream', `mqtt://127.0.0.1:${upstream}`, '--seed', '1', ...extra],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const c = new Child('harness proxy', proc);
  const m = await lineOf(c, /proxy listening on mqtt:\/\/127\.0\.0\.1:(\d+)/, 'listening');
  return { port: Number(m[1]), pid: c.pid, close: () => c.stop() };
}

const PIPE_SOURCE = `
const net = require('node:net'); const up = Number(process.argv[1]);
const srv = net.createServer((c) => { c.setNoDelay(true); const u = net.connect(up, '127.0.0.1'); u.setNoDelay(true);
  c.pipe(u); u.pipe(c); c.on('error', () => u.destroy()); u.on('error', () => c.destroy()); });
srv.listen(0, '127.0.0.1', () => console.log('pipe listening on ' + srv.address().port));`;

/** The plain pipe proxy in its own process. */
export async function pipeProcess(upstream: number): Promise<Hop> {
  const c = new Child(
    'pipe proxy',
    spawn(process.execPath, ['-e', PIPE_SOURCE, String(upstream)], { stdio: ['pipe', 'pipe', 'pipe'] }),
  );
  const m = await lineOf(c, /pipe listening on (\d+)/, 'listening');
  return { port: Number(m[1]), pid: c.pid, close: () => c.stop() };
}

/** The harness proxy inside this process, through its programmatic API. */
export async function harnessInProcess(upstream: number): Promise<Hop> {
  const p = await createProxy({ upstream: `mqtt://127.0.0.1:${upstream}`, seed: 1 });
  return { port: p.port, close: () => p.close() };
}

/** The same plain pipe proxy, inside this process. */
export async function pipeInProcess(upstream: number): Promise<Hop> {
  const sockets = new Set<Socket>();
  const srv: Server = createServer((c) => {
    c.setNoDelay(true);
    const u = connect(upstream, '127.0.0.1');
    u.setNoDelay(true);
    for (const s of [c, u]) {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
    }
    c.pipe(u);
    u.pipe(c);
    c.on('error', () => u.destroy());
    u.on('error', () => c.destroy());
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const a = srv.address();
  if (a === null || typeof a !== 'object') throw new Error('pipe proxy has no address');
  return {
    port: a.port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => srv.close(() => r()));
    },
  };
}
