/**
 * The machine's floor for a proxy's added latency: the round trip of one small message over
 * loopback to an echo server in another process and in this process. A proxy in its own
 * process puts two more cross-process hops on every message's path (client → proxy → broker),
 * so about one such round trip is the least any proxy process can add here.
 */
import { spawn } from 'node:child_process';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { Child } from '../load/children.ts';

export interface Floor {
  crossProcessP50: number;
  inProcessP50: number;
}

const ECHO = `const net=require('node:net');const s=net.createServer((c)=>{c.setNoDelay(true);c.on('data',(d)=>c.write(d));});
s.listen(0,'127.0.0.1',()=>console.log('echo on '+s.address().port));`;

/** p50 round trip in µs, `n` messages each sent 1 ms after the previous answer (so both sides sleep between). */
async function rtt(port: number, n: number): Promise<number> {
  const s: Socket = connect(port, '127.0.0.1');
  s.setNoDelay(true);
  await new Promise<void>((r, j) => (s.once('connect', r), s.once('error', j)));
  const buf = Buffer.alloc(80);
  const lat: number[] = [];
  let t = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const guard = setTimeout(() => reject(new Error('echo round trips timed out')), 10_000 + n * 5);
      const go = () => ((t = performance.now()), s.write(buf));
      s.on('data', () => {
        lat.push((performance.now() - t) * 1000);
        if (lat.length >= n) return void (clearTimeout(guard), resolve());
        setTimeout(go, 1);
      });
      go();
    });
  } finally {
    s.destroy();
  }
  return Math.round(lat.sort((a, b) => a - b)[Math.floor(n / 2)]);
}

export async function measureFloor(n = 1000): Promise<Floor> {
  const c = new Child('echo', spawn(process.execPath, ['-e', ECHO], { stdio: ['pipe', 'pipe', 'pipe'] }));
  let cross: number;
  try {
    const m = await c.next('line', 10_000, (x) => /echo on \d+/.test(String(x.text)));
    cross = await rtt(Number(/(\d+)$/.exec(String(m.text))![1]), n);
  } finally {
    await c.stop();
  }
  const srv: Server = createServer((k) => (k.setNoDelay(true), k.on('data', (d) => k.write(d))));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  try {
    const a = srv.address();
    return { crossProcessP50: cross, inProcessP50: await rtt(typeof a === 'object' && a !== null ? a.port : 0, n) };
  } finally {
    srv.close();
  }
}
