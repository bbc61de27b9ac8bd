import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { createProxy, type Proxy } from '../../src/proxy/index.ts';
import { sleep, withTimeout } from '../../src/common/index.ts';
import { startEcho } from './helpers.ts';

let echo: Awaited<ReturnType<typeof startEcho>>;
const proxies: Proxy[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  echo = await startEcho();
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  for (const p of proxies) await p.close();
  await echo?.close();
});

/** A byte-mode proxy in front of the echo server (echo is not MQTT, so framing is off). */
async function proxy(toxics: Parameters<typeof createProxy>[0]['toxics'] = []): Promise<Proxy> {
  const p = await createProxy({ upstream: `127.0.0.1:${echo.port}`, mqtt: false, seed: 7, toxics });
  proxies.push(p);
  return p;
}

interface Conn {
  s: Socket;
  data: Buffer[];
  text(): string;
  closed: Promise<{ error?: NodeJS.ErrnoException }>;
}

async function open(port: number): Promise<Conn> {
  const s = connect(port, '127.0.0.1');
  sockets.push(s);
  const data: Buffer[] = [];
  let error: NodeJS.ErrnoException | undefined;
  s.on('data', (d) => data.push(d));
  s.on('error', (e) => (error = e));
  const closed = new Promise<{ error?: NodeJS.ErrnoException }>((r) =>
    s.once('close', () => r(error ? { error } : {})),
  );
  await withTimeout(new Promise((r) => s.once('connect', r)), 3000, 'connect to proxy');
  return { s, data, text: () => Buffer.concat(data).toString(), closed };
}

async function until(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('byte toxics (echo server)', () => {
  it('passes bytes unchanged with no toxics', async () => {
    const p = await proxy();
    const c = await open(p.port);
    c.s.write('hello');
    await until(() => c.text() === 'hello', 'echo');
    expect(p.stats().upstream.bytes).toBe(5);
    expect(p.links()[0].mode).toBe('bytes');
  });

  it('latency delays the echo by at least the configured time', async () => {
    const p = await proxy([{ type: 'latency', stream: 'downstream', attributes: { latency: 200 } }]);
    const c = await open(p.port);
    const t0 = performance.now();
    c.s.write('x');
    await until(() => c.text() === 'x', 'delayed echo');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
  });

  it('slicer splits a write into several pieces, in order', async () => {
    const p = await proxy([
      { type: 'slicer', stream: 'upstream', attributes: { average_size: 3, size_variation: 1, delay: 20_000 } },
    ]); // 20 ms apart: TCP will not merge them
    const c = await open(p.port);
    const msg = 'abcdefghijklmnopqrstuvwxyz';
    c.s.write(msg);
    await until(() => c.text() === msg, 'sliced echo');
    expect(c.data.length).toBeGreaterThan(3);
  });

  it('bandwidth paces the data', async () => {
    const p = await proxy([{ type: 'bandwidth', stream: 'downstream', attributes: { rate: 10 } }]); // 10 KB/s
    const c = await open(p.port);
    const t0 = performance.now();
    c.s.write(Buffer.alloc(2000, 1));
    await until(() => Buffer.concat(c.data).length === 2000, 'all bytes');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(150); // 2000 B at 10 KB/s ≈ 200 ms
  });

  it('limit_data closes the connection after N bytes', async () => {
    const p = await proxy([{ type: 'limit_data', stream: 'downstream', attributes: { bytes: 4 } }]);
    const c = await open(p.port);
    c.s.write('123456789');
    await withTimeout(c.closed, 3000, 'close after limit');
    expect(c.text()).toBe('1234');
    expect(p.faults().map((e) => e.action)).toContain('limit');
  });

  it('reset_peer gives the client ECONNRESET', async () => {
    const p = await proxy([{ type: 'reset_peer', stream: 'upstream', attributes: { timeout: 50 } }]);
    const c = await open(p.port);
    const r = await withTimeout(c.closed, 3000, 'reset');
    expect(r.error?.code).toBe('ECONNRESET');
  });

  it('timeout blackholes data and closes after the timeout', async () => {
    const p = await proxy([{ type: 'timeout', stream: 'upstream', attributes: { timeout: 200 } }]);
    const c = await open(p.port);
    c.s.write('lost');
    await withTimeout(c.closed, 3000, 'close after timeout');
    expect(c.text()).toBe('');
  });

  it('half_open keeps both sockets open while nothing passes, and recovers when removed', async () => {
    const p = await proxy([{ name: 'ho', type: 'half_open', attributes: {} }]);
    const c = await open(p.port);
    c.s.write('nothing');
    await sleep(200);
    expect(c.text()).toBe('');
    expect(c.s.destroyed).toBe(false);
    expect(echo.sockets.size).toBeGreaterThan(0);
    p.removeToxic('ho');
    c.s.write('back');
    await until(() => c.text() === 'back', 'echo after removal');
  });

  it('slow_close delays passing on the close', async () => {
    const p = await proxy([{ type: 'slow_close', stream: 'downstream', attributes: { delay: 300 } }]);
    const c = await open(p.port);
    c.s.write('x');
    await until(() => c.text() === 'x', 'echo'); // the upstream connection exists now
    const t0 = performance.now();
    for (const s of echo.sockets) s.end();
    await withTimeout(c.closed, 3000, 'slow close');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(280);
  });

  it('disconnect after N bytes closes the link', async () => {
    const p = await proxy([{ type: 'disconnect', stream: 'upstream', attributes: { after_bytes: 3, mode: 'reset' } }]);
    const c = await open(p.port);
    c.s.write('abcdef');
    const r = await withTimeout(c.closed, 3000, 'disconnect');
    expect(r.error?.code).toBe('ECONNRESET');
  });

  it('refuse: new connections get ECONNREFUSED for the duration, then work again', async () => {
    const p = await proxy();
    p.addToxic({ name: 'nope', type: 'refuse', attributes: { duration_ms: 300 } });
    const s = connect(p.port, '127.0.0.1');
    sockets.push(s);
    const err = await withTimeout(new Promise<NodeJS.ErrnoException>((r) => s.once('error', r)), 3000, 'refusal');
    expect(err.code).toBe('ECONNREFUSED');
    await sleep(400);
    const c = await open(p.port);
    c.s.write('ok');
    await until(() => c.text() === 'ok', 'echo after refusal');
    expect(p.faults().map((e) => e.action)).toEqual(['outage-start', 'outage-end']);
  });

  it('outage schedule cuts links when it goes down and refuses during down', async () => {
    const p = await proxy();
    const c = await open(p.port);
    await until(() => p.links().length === 1, 'link');
    p.addToxic({
      name: 'sched',
      type: 'outage',
      attributes: { up_ms: 150, down_ms: 300, cycles: 1, existing: 'reset' },
    });
    const r = await withTimeout(c.closed, 3000, 'cut at outage');
    expect(r.error?.code).toBe('ECONNRESET');
    const s = connect(p.port, '127.0.0.1');
    sockets.push(s);
    const err = await withTimeout(new Promise<NodeJS.ErrnoException>((res) => s.once('error', res)), 3000, 'refusal');
    expect(err.code).toBe('ECONNREFUSED');
    await until(() => p.faults().some((e) => e.action === 'outage-end'), 'outage end');
    const c2 = await open(p.port);
    c2.s.write('up');
    await until(() => c2.text() === 'up', 'echo after outage');
    expect(p.faults().map((e) => e.action)).toEqual(['outage-start', 'reset', 'outage-end']);
  });

  it('outage with stall + blackhole: data and new connections are held, then flow when it is up again', async () => {
    const p = await proxy();
    const c1 = await open(p.port);
    c1.s.write('a');
    await until(() => c1.text() === 'a', 'echo before outage');
    p.addToxic({
      name: 'hole',
      type: 'outage',
      attributes: {
        start: 'down',
        down_ms: 400,
        up_ms: 60_000,
        cycles: 1,
        existing: 'stall',
        new_connections: 'blackhole',
      },
    });
    const before = echo.sockets.size;
    c1.s.write('b');
    const c2 = await open(p.port); // accepted, but held: no upstream connection yet
    c2.s.write('c');
    await sleep(150);
    expect(c1.text()).toBe('a');
    expect(c2.text()).toBe('');
    expect(echo.sockets.size).toBe(before);
    await until(() => c1.text() === 'ab' && c2.text() === 'c', 'held data after the outage', 3000);
    expect(p.faults().map((e) => e.action)).toEqual(['outage-start', 'outage-end']);
  });

  it('flaky (Gilbert–Elliott) on real sockets: entering the bad state cuts links, leaving it reopens', async () => {
    const p = await proxy();
    const c = await open(p.port);
    c.s.write('x');
    await until(() => c.text() === 'x', 'echo');
    p.addToxic({
      name: 'ge',
      type: 'flaky',
      attributes: { step_ms: 100, p_good_to_bad: 1, p_bad_to_good: 1, existing: 'reset', new_connections: 'refuse' },
    });
    const r = await withTimeout(c.closed, 3000, 'cut on entering bad');
    expect(r.error?.code).toBe('ECONNRESET');
    await until(() => p.faults().some((e) => e.action === 'good-state'), 'good state');
    p.removeToxic('ge');
    const c2 = await open(p.port);
    c2.s.write('y');
    await until(() => c2.text() === 'y', 'echo after flaky');
    const acts = p.faults().map((e) => e.action);
    expect(acts.slice(0, 3)).toEqual(['bad-state', 'outage-start', 'reset']);
    expect(acts).toContain('good-state');
  });
});
