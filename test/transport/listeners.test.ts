import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { WebSocket } from 'ws';
import { withTimeout } from '../../src/common/index.ts';
import { dial, listenTcp, listenTls, listenWs, type Listener, type StreamMeta } from '../../src/transport/index.ts';
import { makeTestCerts, type TestCerts } from './certs.ts';

/** Echo server: every accepted stream writes back what it reads. */
function echo(seen: StreamMeta[]) {
  return (stream: Duplex, meta: StreamMeta) => {
    seen.push(meta);
    stream.on('error', () => {});
    stream.on('data', (d: Buffer) => stream.write(d));
  };
}

function readN(stream: Duplex, n: number, what: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let got = 0;
  return withTimeout(
    new Promise<Buffer>((resolve, reject) => {
      stream.on('data', (d: Buffer) => {
        parts.push(d);
        got += d.length;
        if (got >= n) resolve(Buffer.concat(parts));
      });
      stream.on('error', reject);
    }),
    5000,
    what,
  );
}

let certs: TestCerts;
const listeners: Listener[] = [];
beforeAll(() => {
  certs = makeTestCerts();
});
afterAll(async () => {
  await Promise.all(listeners.map((l) => l.close()));
  certs?.cleanup();
});

describe('transport listeners', () => {
  it('TCP on 127.0.0.1 and ::1 reports the real port and echoes', async () => {
    for (const host of ['127.0.0.1', '::1']) {
      const seen: StreamMeta[] = [];
      const l = await listenTcp({ host, port: 0, onConnection: echo(seen) });
      listeners.push(l);
      expect(l.port).toBeGreaterThan(0);
      expect(l.url).toBe(host === '::1' ? `mqtt://[::1]:${l.port}` : `mqtt://127.0.0.1:${l.port}`);
      const { stream } = await dial(l.url);
      const got = readN(stream, 4, 'tcp echo');
      stream.write(Buffer.from([0xc0, 0x00, 0xc0, 0x00]));
      expect([...(await got)]).toEqual([0xc0, 0x00, 0xc0, 0x00]);
      expect(seen[0].transport).toBe('tcp');
      expect(seen[0].remoteAddress).toMatch(host === '::1' ? /::1/ : /127\.0\.0\.1/);
      stream.destroy();
    }
  });

  it('TLS with a test CA, and client certificates when required', async () => {
    const seen: StreamMeta[] = [];
    const l = await listenTls({ port: 0, onConnection: echo(seen), tls: { cert: certs.cert, key: certs.key } });
    listeners.push(l);
    expect(l.url).toBe(`mqtts://127.0.0.1:${l.port}`);
    const { stream } = await dial(l.url, { tls: { ca: certs.ca } });
    const got = readN(stream, 2, 'tls echo');
    stream.write(Buffer.from([0xc0, 0x00]));
    expect((await got).length).toBe(2);
    expect(seen[0].transport).toBe('tls');
    stream.destroy();

    const errors: string[] = [];
    const strict = await listenTls({
      port: 0,
      onConnection: echo([]),
      onError: (what) => errors.push(what),
      tls: { cert: certs.cert, key: certs.key, ca: certs.ca, requestCert: true },
    });
    listeners.push(strict);
    // Without a client certificate the handshake (or the first read) fails.
    const refused = await withTimeout(
      new Promise<boolean>((resolve) => {
        const s = tlsConnect({ host: '127.0.0.1', port: strict.port, ca: certs.ca, servername: 'localhost' });
        s.on('error', () => resolve(true));
        s.on('close', () => resolve(true));
        s.on('data', () => resolve(false));
        s.on('secureConnect', () => s.write(Buffer.from([0xc0, 0x00])));
      }),
      5000,
      'refused TLS client',
    );
    expect(refused).toBe(true);
    await withTimeout(
      (async () => {
        while (errors.length === 0) await new Promise((r) => setTimeout(r, 10));
      })(),
      5000,
      'onError for the failed handshake',
    );
    expect(errors[0]).toBe('TLS handshake failed');
    const ok = await dial(strict.url, { tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } });
    const got2 = readN(ok.stream, 2, 'mutual tls echo');
    ok.stream.write(Buffer.from([0xc0, 0x00]));
    expect((await got2).length).toBe(2);
    ok.stream.destroy();
  });

  it('WebSocket: negotiates "mqtt", accepts "mqttv3.1", joins packets split across frames', async () => {
    const seen: StreamMeta[] = [];
    const l = await listenWs({ port: 0, onConnection: echo(seen) });
    listeners.push(l);
    expect(l.url).toBe(`ws://127.0.0.1:${l.port}/mqtt`);
    for (const proto of ['mqtt', 'mqttv3.1']) {
      const ws = new WebSocket(l.url, [proto]);
      await withTimeout(new Promise((r, j) => (ws.once('open', r), ws.once('error', j))), 5000, 'ws open');
      expect(ws.protocol).toBe(proto);
      const chunks: Buffer[] = [];
      const all = withTimeout(
        new Promise<Buffer>((resolve) =>
          ws.on('message', (d: Buffer) => {
            chunks.push(d);
            if (Buffer.concat(chunks).length >= 6) resolve(Buffer.concat(chunks));
          }),
        ),
        5000,
        'ws echo',
      );
      // One PUBLISH-like byte run sent as three frames of odd sizes.
      ws.send(Buffer.from([0x30]));
      ws.send(Buffer.from([0x04, 0x00, 0x01]));
      ws.send(Buffer.from([0x61, 0x62]));
      expect([...(await all)]).toEqual([0x30, 0x04, 0x00, 0x01, 0x61, 0x62]);
      ws.close();
    }
    expect(seen.map((m) => m.transport)).toEqual(['ws', 'ws']);
  });

  it('WebSocket: a text frame closes the connection; wrong path and foreign subprotocol are refused', async () => {
    const refusals: string[] = [];
    const l = await listenWs({ port: 0, onConnection: echo([]), onError: (_w, e) => refusals.push(e.message) });
    listeners.push(l);
    const ws = new WebSocket(l.url, ['mqtt']);
    await withTimeout(new Promise((r, j) => (ws.once('open', r), ws.once('error', j))), 5000, 'ws open');
    const closed = withTimeout(
      new Promise<number>((r) => ws.once('close', (code) => r(code))),
      5000,
      'close after text',
    );
    ws.send('hello');
    expect(await closed).toBe(1003);

    const bad = async (url: string, protos: string[]) =>
      withTimeout(
        new Promise<string>((resolve) => {
          const w = new WebSocket(url, protos);
          w.once('open', () => (w.close(), resolve('open')));
          w.once('error', (e) => resolve(e.message));
        }),
        5000,
        'refused upgrade',
      );
    expect(await bad(`ws://127.0.0.1:${l.port}/other`, ['mqtt'])).toMatch(/404/);
    expect(await bad(l.url, ['chat'])).toMatch(/400/);
    expect(refusals).toEqual(['path /other is not one of /mqtt', 'no MQTT subprotocol among "chat"']);
  });

  it('WebSocket: the server stream delivers the last bytes, then closes, on close and on terminate', async () => {
    for (const how of ['close', 'terminate'] as const) {
      const got: Buffer[] = [];
      let closed!: () => void;
      const streamClosed = new Promise<void>((r) => (closed = r));
      const l = await listenWs({
        port: 0,
        onConnection: (stream) => {
          stream.on('data', (d: Buffer) => got.push(d));
          stream.on('error', () => {});
          stream.on('close', () => closed());
        },
      });
      listeners.push(l);
      const ws = new WebSocket(l.url, ['mqtt']);
      await withTimeout(new Promise((r, j) => (ws.once('open', r), ws.once('error', j))), 5000, 'ws open');
      ws.send(Buffer.from([0xe0, 0x00]), () => (how === 'close' ? ws.close() : setTimeout(() => ws.terminate(), 50)));
      await withTimeout(streamClosed, 5000, `server stream close after client ${how}`);
      expect([...Buffer.concat(got)]).toEqual([0xe0, 0x00]);
    }
  });

  it('secure WebSocket via dial() streams bytes both ways', async () => {
    const seen: StreamMeta[] = [];
    const l = await listenWs({
      host: '::1',
      port: 0,
      onConnection: echo(seen),
      tls: { cert: certs.cert, key: certs.key },
    });
    listeners.push(l);
    expect(l.url).toBe(`wss://[::1]:${l.port}/mqtt`);
    const { stream, transport } = await dial(l.url, { tls: { ca: certs.ca } });
    expect(transport).toBe('wss');
    const got = readN(stream, 3, 'wss echo');
    stream.write(Buffer.from([1, 2, 3]));
    expect([...(await got)]).toEqual([1, 2, 3]);
    expect(seen[0].transport).toBe('wss');
    stream.destroy();
  });
});
