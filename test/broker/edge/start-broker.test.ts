import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker, type RunningBroker } from '../../../src/broker/index.ts';
import { makeTestCerts, type TestCerts } from '../../transport/certs.ts';
import { endAll, mqttConnect, nextMessage } from './helpers.ts';

let certs: TestCerts;
let b: RunningBroker;

beforeAll(async () => {
  certs = makeTestCerts();
  b = await startBroker({
    port: 0,
    tlsPort: 0,
    wsPort: 0,
    wssPort: 0,
    cert: certs.certPath,
    key: certs.keyPath,
    ca: certs.ca,
  });
});
afterAll(async () => {
  await b?.close();
  certs?.cleanup();
});

describe('startBroker', () => {
  it('reports one URL per listener with real ports', () => {
    expect(b.urls).toHaveLength(4);
    expect(b.urls[0]).toBe(`mqtt://127.0.0.1:${b.port}`);
    expect(b.url).toBe(b.urls[0]);
    expect(b.urls[1]).toMatch(/^mqtts:\/\/127\.0\.0\.1:\d+$/);
    expect(b.urls[2]).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/mqtt$/);
    expect(b.urls[3]).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/mqtt$/);
    for (const l of b.listeners) expect(l.port).toBeGreaterThan(0);
  });

  it('routes messages between all four transports, at 3.1.1 and 5.0', async () => {
    const tls = { ca: certs.ca, rejectUnauthorized: true };
    for (const protocolVersion of [4, 5] as const) {
      const [tcp, mqtts, ws, wss] = await Promise.all([
        mqttConnect(b.urls[0], { protocolVersion }),
        mqttConnect(b.urls[1], { protocolVersion, ...tls }),
        mqttConnect(b.urls[2], { protocolVersion }),
        mqttConnect(b.urls[3], { protocolVersion, ...tls }),
      ]);
      try {
        const subs = [tcp, mqtts, ws, wss];
        await Promise.all(subs.map((c) => c.subscribeAsync(`x/${protocolVersion}/#`, { qos: 1 })));
        for (const [i, pub] of subs.entries()) {
          const got = subs.map((c, j) => nextMessage(c, `message on client ${j} from client ${i}`));
          await pub.publishAsync(`x/${protocolVersion}/${i}`, `from ${i}`, { qos: 1 });
          for (const m of await Promise.all(got))
            expect(m).toEqual({ topic: `x/${protocolVersion}/${i}`, payload: `from ${i}` });
        }
      } finally {
        await endAll(tcp, mqtts, ws, wss);
      }
    }
  });

  it('listens on IPv6 loopback', async () => {
    const v6 = await startBroker({ host: '::1', port: 0 });
    try {
      expect(v6.url).toBe(`mqtt://[::1]:${v6.port}`);
      const c = await mqttConnect(v6.url);
      await c.subscribeAsync('v6');
      const got = nextMessage(c, 'v6 message');
      await c.publishAsync('v6', 'hi');
      expect((await got).payload).toBe('hi');
      await endAll(c);
    } finally {
      await v6.close();
    }
  });

  it('requires a client certificate when asked', async () => {
    const strict = await startBroker({
      tlsPort: 0,
      cert: certs.cert,
      key: certs.key,
      ca: certs.caPath,
      requireClientCert: true,
    });
    try {
      await expect(mqttConnect(strict.url, { ca: certs.ca })).rejects.toThrow();
      const ok = await mqttConnect(strict.url, { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey });
      await endAll(ok);
    } finally {
      await strict.close();
    }
  });

  it('fails clearly on bad options and frees what it bound', async () => {
    await expect(startBroker({ tlsPort: 0 })).rejects.toThrow(/needs both cert and key/);
    await expect(startBroker({ tlsPort: 0, cert: '/nonexistent.pem', key: '/nonexistent.key' })).rejects.toThrow(
      /cannot read TLS certificate file \/nonexistent\.pem/,
    );
    await expect(startBroker({ port: b.port })).rejects.toThrow(/cannot listen on 127\.0\.0\.1:\d+/);
    await expect(startBroker({ config: { limits: { maxConnections: -1 } } })).rejects.toThrow(
      /limits\.maxConnections: expected a positive integer, got -1/,
    );
  });

  it('keeps retained messages across restarts with file persistence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'broker-persist-'));
    try {
      const first = await startBroker({ persistence: `file:${dir}/data` });
      const p = await mqttConnect(first.url);
      await p.publishAsync('persist/me', 'still here', { qos: 1, retain: true });
      await endAll(p);
      await first.close();
      const second = await startBroker({ persistence: `file:${dir}/data` });
      try {
        const s = await mqttConnect(second.url);
        const got = nextMessage(s, 'retained after restart');
        await s.subscribeAsync('persist/#');
        expect(await got).toEqual({ topic: 'persist/me', payload: 'still here' });
        await endAll(s);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes listeners and capabilities from a YAML config file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'broker-cfg-'));
    try {
      const file = join(dir, 'broker.yaml');
      writeFileSync(
        file,
        [
          'listeners:',
          '  - protocol: ws',
          '    port: 0',
          '    path: /custom',
          'capabilities:',
          '  maximumQoS: 1',
          '  retainAvailable: false',
          '',
        ].join('\n'),
      );
      const x = await startBroker({ config: file });
      try {
        expect(x.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/custom$/);
        const c = await mqttConnect(x.url, { protocolVersion: 5 });
        const props = (c as unknown as { connackPacket?: { properties?: Record<string, unknown> } }).connackPacket
          ?.properties;
        expect(props).toMatchObject({ maximumQoS: 1, retainAvailable: false });
        await endAll(c);
      } finally {
        await x.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('close() is idempotent', async () => {
    const x = await startBroker();
    await Promise.all([x.close(), x.close()]);
    await x.close();
  });
});
