/**
 * NEGATIVE CONTROLS for the fuzz loop's crash path: a toy broker that "crashes" (stops listening,
 * drops every connection) when it reads an UNSUBSCRIBE header byte (0xa2). With a restart hook
 * the crash is narrowed to one connection and shrunk; without one the run stops and says why.
 */
import net from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { seedFromEnv } from '../../src/common/index.ts';
import { runFuzz } from '../../src/fuzz/index.ts';

interface Crashy {
  port: number;
  crashes: number;
  restart(): Promise<void>;
  close(): Promise<void>;
}

async function crashyBroker(): Promise<Crashy> {
  const socks = new Set<net.Socket>();
  let server: net.Server;
  let port = 0;
  const crash = (): void => {
    c.crashes++;
    server.close();
    for (const s of socks) s.destroy();
  };
  const listen = (): Promise<void> => {
    server = net.createServer((s) => {
      socks.add(s);
      s.on('error', () => undefined);
      s.on('close', () => socks.delete(s));
      s.on('data', (d: Buffer) => {
        if (d.includes(0xa2)) return crash();
        if (d[0] === 0x10) s.write(Buffer.from([0x20, 0x02, 0x00, 0x00]));
        // Answers the PINGREQ at the end of what it read, then closes (never judges the rest).
        if (d.length >= 2 && d[d.length - 2] === 0xc0 && d[d.length - 1] === 0x00) s.end(Buffer.from([0xd0, 0x00]));
      });
    });
    return new Promise<void>((r) =>
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as net.AddressInfo).port;
        r();
      }),
    );
  };
  await listen();
  const c: Crashy = {
    port,
    crashes: 0,
    restart: listen,
    close: async () => {
      for (const s of socks) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  return c;
}

const open: Crashy[] = [];
afterAll(async () => {
  for (const o of open) await o.close().catch(() => undefined);
});

it('a crash is narrowed to one connection by replay and shrunk (restart hook)', async () => {
  const b = await crashyBroker();
  open.push(b);
  const seed = seedFromEnv();
  const r = await runFuzz({
    target: { host: '127.0.0.1', port: b.port },
    seed,
    versions: [4],
    frames: 4000,
    budgetMs: 60_000,
    timeoutMs: 500,
    batchCases: 50,
    maxShrunk: 0,
    maxShrinkAttempts: 40,
    restart: b.restart,
  });
  const crash = r.findings.find((f) => f.kind === 'crash' && f.signature !== 'crash|unreproduced');
  expect(crash, `seed ${seed}: ${JSON.stringify(r.findings.map((f) => f.signature))}`).toBeDefined();
  expect(b.crashes).toBeGreaterThan(1);
  // The minimal frames still hold the byte that brings it down.
  expect(crash!.hex.join(' ')).toMatch(/a2/);
  expect(r.stoppedBecause).toBeUndefined();
}, 90_000);

it('without a restart hook the run stops at the crash and says why', async () => {
  const b = await crashyBroker();
  open.push(b);
  const seed = seedFromEnv();
  const r = await runFuzz({
    target: { host: '127.0.0.1', port: b.port },
    seed,
    versions: [4],
    frames: 200_000,
    budgetMs: 60_000,
    timeoutMs: 500,
    batchCases: 50,
  });
  expect(r.stoppedBecause, `seed ${seed}`).toMatch(/stopped answering/);
  expect(r.findings.map((f) => f.signature)).toContain('crash|batch');
  expect(r.framesSent).toBeLessThan(200_000);
}, 90_000);
