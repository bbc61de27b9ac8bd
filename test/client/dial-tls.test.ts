import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import https from 'node:https';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { TestClient } from '../../src/client/index.ts';

// A self-signed certificate for 127.0.0.1 made with openssl, and fake brokers over TLS and
// WSS that answer any bytes with a 3.1.1 CONNACK: enough to prove the dialers' trust options.
const dir = mkdtempSync(join(tmpdir(), 'mh-tls-'));
const key = join(dir, 'key.pem');
const cert = join(dir, 'cert.pem');
let tlsServer: tls.Server;
let httpsServer: https.Server;
let tlsPort = 0;
let wssPort = 0;
const CONNACK = Buffer.from('20020000', 'hex');

beforeAll(async () => {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const creds = { key: readFileSync(key), cert: readFileSync(cert) };
  tlsServer = tls.createServer(creds, (s) => {
    s.on('error', () => undefined);
    s.once('data', () => s.write(CONNACK));
  });
  await new Promise<void>((r) => tlsServer.listen(0, '127.0.0.1', () => r()));
  tlsPort = (tlsServer.address() as { port: number }).port;
  httpsServer = https.createServer(creds);
  const wss = new WebSocketServer({ server: httpsServer, handleProtocols: (p) => (p.has('mqtt') ? 'mqtt' : false) });
  wss.on('connection', (ws, req) => {
    if (req.url !== '/mqtt') ws.close();
    ws.once('message', () => ws.send(CONNACK));
  });
  await new Promise<void>((r) => httpsServer.listen(0, '127.0.0.1', () => r()));
  wssPort = (httpsServer.address() as { port: number }).port;
});
afterAll(async () => {
  tlsServer?.close();
  httpsServer?.closeAllConnections();
  httpsServer?.close();
});

describe('TLS and secure WebSocket dialing', () => {
  it('connects over mqtts:// trusting the CA file', async () => {
    const c = await TestClient.open({ url: `mqtts://127.0.0.1:${tlsPort}`, connectTimeoutMs: 3000, caFile: cert });
    expect((await c.connect({ level: 4, clientId: 't' }, 2000)).reasonCode).toBe(0);
    await c.close(500);
  });
  it('refuses an untrusted certificate unless insecure is set', async () => {
    await expect(TestClient.open({ url: `mqtts://127.0.0.1:${tlsPort}`, connectTimeoutMs: 3000 })).rejects.toThrow(
      /TLS connection .* failed/,
    );
    const c = await TestClient.open({ url: `mqtts://127.0.0.1:${tlsPort}`, connectTimeoutMs: 3000, insecure: true });
    expect((await c.connect({ level: 4, clientId: 'i' }, 2000)).reasonCode).toBe(0);
    await c.close(500);
  });
  it('connects over wss:// with the default /mqtt path and names a missing CA file', async () => {
    const c = await TestClient.open({ url: `wss://127.0.0.1:${wssPort}`, connectTimeoutMs: 3000, caFile: cert });
    expect((await c.connect({ level: 4, clientId: 'w' }, 2000)).reasonCode).toBe(0);
    await c.close(500);
    await expect(
      TestClient.open({ url: `wss://127.0.0.1:${wssPort}`, connectTimeoutMs: 3000, caFile: join(dir, 'nope.pem') }),
    ).rejects.toThrow(/cannot read CA file .*nope\.pem/);
  });
});
