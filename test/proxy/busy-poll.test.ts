import { afterAll, describe, expect, it } from 'vitest';
import { BusyPoller, createProxy, MAX_BUSY_POLL_MS } from '../../src/proxy/index.ts';
import { withTimeout } from '../../src/common/index.ts';
import { startEcho } from './helpers.ts';
import { connect } from 'node:net';

/** A poller driven by hand: a fake clock and a queue of deferred turns. */
function manual(windowMs: number) {
  let now = 0;
  const queue: Array<() => void> = [];
  const p = new BusyPoller(
    windowMs,
    () => now,
    (f) => void queue.push(f),
  );
  const runQueued = () => {
    const fs = queue.splice(0);
    for (const f of fs) f();
    return fs.length;
  };
  return { p, queue, runQueued, advance: (ms: number) => void (now += ms) };
}

describe('BusyPoller', () => {
  it('keeps turning for the window after the last traffic, then goes idle', () => {
    const m = manual(10);
    m.p.touch();
    expect(m.p.active).toBe(true);
    m.advance(4);
    expect(m.runQueued()).toBe(1);
    m.p.touch(); // more traffic at t=4: the window now ends at 14
    m.advance(8); // t=12
    m.runQueued();
    expect(m.p.active).toBe(true);
    m.advance(2); // t=14
    m.runQueued();
    expect(m.p.active).toBe(false);
    expect(m.queue).toHaveLength(0);
    expect(m.p.turns).toBe(2);
  });

  it('starts one chain however often it is touched, and none after stop()', () => {
    const m = manual(10);
    for (let i = 0; i < 5; i++) m.p.touch();
    expect(m.queue).toHaveLength(1);
    m.p.stop();
    m.runQueued();
    expect(m.p.active).toBe(false);
    m.p.touch();
    expect(m.queue).toHaveLength(0);
  });

  it('a window of 0 never polls; windows outside 0..MAX are refused with the value', () => {
    const m = manual(0);
    m.p.touch();
    expect(m.queue).toHaveLength(0);
    expect(() => new BusyPoller(MAX_BUSY_POLL_MS + 1)).toThrow(/0\.\.1000 ms, not 1001/);
    expect(() => new BusyPoller(-1)).toThrow(RangeError);
    expect(() => new BusyPoller(Number.NaN)).toThrow(RangeError);
  });
});

describe('proxy with busy polling', () => {
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
  });

  it('forwards traffic both ways and closes cleanly', async () => {
    const echo = await startEcho();
    closers.push(() => echo.close());
    const proxy = await createProxy({ upstream: `tcp://127.0.0.1:${echo.port}`, mqtt: false, seed: 1, busyPollMs: 20 });
    closers.push(() => proxy.close());
    const s = connect(proxy.port, '127.0.0.1');
    closers.push(async () => void s.destroy());
    let got = '';
    s.on('data', (d) => (got += d));
    await withTimeout(new Promise<void>((r) => s.once('connect', () => r())), 5000, 'connect to proxy');
    s.write('hello through a busy proxy');
    await withTimeout(
      (async () => {
        while (got !== 'hello through a busy proxy') await new Promise((r) => setTimeout(r, 5));
      })(),
      5000,
      'echo through the proxy',
    );
    expect(proxy.stats().upstream.bytes).toBe(26);
    expect(proxy.stats().downstream.bytes).toBe(26);
  });

  it('refuses an out-of-range window at creation', async () => {
    await expect(createProxy({ upstream: 'tcp://127.0.0.1:1', mqtt: false, busyPollMs: 2000 })).rejects.toThrow(
      /busy poll window/,
    );
  });
});
