/**
 * The fuzzer end to end: a seeded 50,000-frame slice against the reference broker finds nothing,
 * and a deliberately broken broker (answers everything, never closes) is caught and shrunk.
 */
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import {
  MemoryLogger,
  rateLimitedLogger,
  startBroker,
  type LogFields,
  type RunningBroker,
} from '../../src/broker/index.ts';
import { seedFromEnv } from '../../src/common/index.ts';
import { runFuzz } from '../../src/fuzz/index.ts';

const open: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  for (const o of open) await o.close();
});

/** NEGATIVE CONTROL: answers CONNECT with CONNACK 0 and PINGREQ with PINGRESP, reads nothing else, never closes. */
async function sloppyBroker(): Promise<{ port: number; close(): Promise<void> }> {
  const socks = new Set<net.Socket>();
  const server = net.createServer((s) => {
    socks.add(s);
    s.on('error', () => undefined);
    s.on('close', () => socks.delete(s));
    let connected = false;
    s.on('data', (d: Buffer) => {
      if (!connected && d[0] === 0x10) {
        connected = true;
        s.write(d[8] === 5 ? Buffer.from([0x20, 0x03, 0x00, 0x00, 0x00]) : Buffer.from([0x20, 0x02, 0x00, 0x00]));
      }
      if (d.length >= 2 && d[d.length - 2] === 0xc0 && d[d.length - 1] === 0x00) s.write(Buffer.from([0xd0, 0x00]));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const s of socks) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe('fuzz run', () => {
  it('a seeded 50,000-frame slice finds nothing in the reference broker (both versions)', async () => {
    const seed = Number(process.env.MQTT_HARNESS_SEED ?? 20261207);
    // The broker's log through the rate limiter: count what came in and what was written.
    const mem = new MemoryLogger();
    let offered = 0;
    const limited = rateLimitedLogger(mem);
    const count = (f: (m: string, x?: LogFields) => void) => (m: string, x?: LogFields) => {
      offered++;
      f(m, x);
    };
    const logger = {
      debug: () => undefined,
      info: count(limited.info),
      warn: count(limited.warn),
      error: count(limited.error),
    };
    const b: RunningBroker = await startBroker({ port: 0, logger });
    open.push(b);
    const r = await runFuzz({
      target: { host: '127.0.0.1', port: b.port },
      seed,
      versions: [4, 5],
      frames: 50_000,
      budgetMs: 120_000,
      timeoutMs: 5000,
    });
    const report = r.findings
      .map((f) => `${f.kind} ${f.statements.join(',')} ${f.expected} / ${f.observed}\n${f.hex.join('\n')}`)
      .join('\n');
    expect(report, `seed ${seed}`).toBe('');
    expect(r.framesSent).toBeGreaterThanOrEqual(50_000);
    expect(r.outcomes.closed).toBeGreaterThan(0);
    expect(r.outcomes.answered).toBeGreaterThan(0);
    expect(r.controlChecks).toBeGreaterThan(0);
    expect(Object.keys(r.tried).some((k) => k.startsWith('state:'))).toBe(true);
    // Thousands of violations offered to the log, a bounded number of lines written (issue 14, item 4).
    limited.flush();
    expect(offered).toBeGreaterThan(1000);
    expect(mem.records.length).toBeLessThan(400);
  }, 120_000);

  it('catches and shrinks a broker that never closes on malformed input (negative control)', async () => {
    const s = await sloppyBroker();
    open.push(s);
    const seed = seedFromEnv();
    const r = await runFuzz({
      target: { host: '127.0.0.1', port: s.port },
      seed,
      versions: [4],
      frames: 3000,
      budgetMs: 60_000,
      timeoutMs: 1000,
      maxShrunk: 2,
      maxShrinkAttempts: 60,
    });
    expect(r.findings.length, `seed ${seed}`).toBeGreaterThan(0);
    const f = r.findings.find((x) => x.kind === 'wrong-answer')!;
    expect(f.statements.length).toBeGreaterThan(0);
    expect(f.hex.length).toBeLessThanOrEqual(f.originalFrames);
    expect(f.gherkin).toContain('When "A" sends raw');
  }, 90_000);
});
