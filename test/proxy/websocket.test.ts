import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { createProxy, type Proxy } from '../../src/proxy/index.ts';
import { withTimeout } from '../../src/common/index.ts';

const closers: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const c of closers.reverse()) await c();
});

describe('WebSocket upstreams pass byte-wise', () => {
  it('relays a WebSocket session (handshake and frames) unchanged, with toxics still applying', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/mqtt' });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    closers.push(
      () =>
        new Promise<void>((r) => {
          for (const c of wss.clients) c.terminate();
          wss.close(() => r());
        }),
    );
    wss.on('connection', (ws) => ws.on('message', (m) => ws.send(m)));
    const port = (wss.address() as { port: number }).port;
    const p: Proxy = await createProxy({ upstream: `ws://127.0.0.1:${port}/mqtt`, seed: 1 });
    closers.push(() => p.close());
    p.addToxic({ type: 'latency', stream: 'downstream', attributes: { latency: 50 } });
    expect(p.url).toBe(`ws://127.0.0.1:${p.port}/mqtt`);
    const ws = new WebSocket(p.url);
    closers.push(() => ws.terminate());
    await withTimeout(new Promise((r, j) => (ws.once('open', r), ws.once('error', j))), 3000, 'ws open through proxy');
    const t0 = performance.now();
    const echoed = withTimeout(new Promise<string>((r) => ws.once('message', (m) => r(m.toString()))), 3000, 'ws echo');
    ws.send('over websocket');
    expect(await echoed).toBe('over websocket');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    expect(p.links()[0].mode).toBe('bytes');
  });

  it('refuses MQTT framing on a WebSocket upstream with a clear error', async () => {
    await expect(createProxy({ upstream: 'ws://127.0.0.1:1/mqtt', mqtt: true })).rejects.toThrow(
      /mqtt framing needs a plain TCP upstream/,
    );
  });
});
