import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverCapabilities, PacketTrace, TestClient, type TestClientOptions } from '../../src/client/index.ts';
import { startLocalMosquitto, type LocalMosquitto } from '../../src/report/local-mosquitto.ts';

let m: LocalMosquitto;
const clients: TestClient[] = [];
beforeAll(async () => {
  m = await startLocalMosquitto({ websockets: true });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close(500)));
  await m?.stop();
});

const open = async (o: Partial<TestClientOptions> = {}): Promise<TestClient> => {
  const c = await TestClient.open({ url: m.url, connectTimeoutMs: 2000, ...o });
  clients.push(c);
  return c;
};
const id = (s: string): string => `tc${process.pid}${s}`;

describe('TestClient against mosquitto', () => {
  it('connects at 3.1.1 and 5.0 and records the trace', async () => {
    const trace = new PacketTrace();
    const a = await open({ name: 'A', trace });
    expect((await a.connect({ level: 4, clientId: id('a') }, 2000)).reasonCode).toBe(0);
    const b = await open({ name: 'B', trace });
    const ack = await b.connect({ level: 5, clientId: id('b') }, 2000);
    expect(ack.reasonCode).toBe(0);
    expect(b.protocolLevel).toBe(5);
    const dirs = trace.entries
      .filter((e) => e.direction !== 'event')
      .map((e) => `${e.client}${e.direction}${e.packet?.type}`);
    expect(dirs).toEqual(
      expect.arrayContaining(['Asentconnect', 'Areceivedconnack', 'Bsentconnect', 'Breceivedconnack']),
    );
    expect(trace.format()).toContain('10 ');
  });

  it('keeps unawaited packets in the inbox in order for later expects', async () => {
    const c = await open({ name: 'S' });
    await c.connect({ level: 4, clientId: id('s') }, 2000);
    c.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: id('t/#'), qos: 1 }] });
    await c.expect({ type: 'suback', packetId: 1 }, 2000);
    for (const n of ['1', '2', '3'])
      c.send({ type: 'publish', topic: id(`t/${n}`), payload: Buffer.from(n), qos: 0, retain: false, dup: false });
    c.send({ type: 'pingreq' });
    await c.expect({ type: 'pingresp' }, 2000);
    // The publishes arrived before PINGRESP and wait in the inbox, in order.
    expect((await c.expect({ type: 'publish', payload: '3' }, 2000)).type).toBe('publish');
    expect(c.inbox.map((p) => (p.type === 'publish' ? p.payload.toString() : p.type))).toEqual(['1', '2']);
    await expect(c.expectNothing({ type: 'publish', payload: '1' }, 50)).rejects.toThrow(/expected nothing/);
    await c.expectNothing({ type: 'publish', payload: '9' }, 50);
  });

  it('reports a timeout with what was received instead', async () => {
    const c = await open({ name: 'T' });
    await c.connect({ level: 4, clientId: id('t') }, 2000);
    await expect(c.expect({ type: 'puback', packetId: 99 }, 100)).rejects.toThrow(
      /no PUBACK packetId=99 within 100 ms/,
    );
    c.send({ type: 'pingreq' });
    await expect(c.expectNext({ type: 'puback' }, 1000)).rejects.toThrow(/the next packet was PINGRESP/);
  });

  it('sees the broker close the connection on a second CONNECT', async () => {
    const c = await open({ name: 'D' });
    await c.connect({ level: 5, clientId: id('d') }, 2000);
    c.sendRaw('10 0c 00 04 4d 51 54 54 05 02 00 3c 00 00 00');
    const info = await c.expectClosed(2000);
    expect(info.byUs).toBe(false);
    await expect(c.expect({ type: 'pingresp' }, 100)).rejects.toThrow(/connection is closed/);
  });

  it('connects over WebSocket with subprotocol mqtt', async () => {
    const c = await open({ name: 'W', url: m.wsUrl! });
    expect((await c.connect({ level: 4, clientId: id('w') }, 2000)).reasonCode).toBe(0);
    // A text message is not MQTT; the trace records it. (mosquitto 2.0.11 does not close the
    // connection on it, so what the broker does is left to the conformance scenario.)
    c.sendWebSocketText('hello');
    expect(
      c.trace.entries.some(
        (e) => e.note === 'WebSocket TEXT message' && e.hex === Buffer.from('hello').toString('hex'),
      ),
    ).toBe(true);
  });
  it('refuses a WebSocket text message on a TCP connection', async () => {
    const c = await open({ name: 'X' });
    expect(() => c.sendWebSocketText('x')).toThrow(/not a WebSocket connection/);
  });

  it('fails to open an unreachable target with a TargetError', async () => {
    const port = m.port; // mosquitto listens here; pick the next free one by binding 0 and closing it
    const free: number = await new Promise((r) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => r(p));
      });
    });
    expect(free).not.toBe(port);
    await expect(TestClient.open({ url: `mqtt://127.0.0.1:${free}`, connectTimeoutMs: 1000 })).rejects.toMatchObject({
      name: 'TargetError',
    });
  });

  it('discovers capabilities at both versions', async () => {
    const caps = await discoverCapabilities({
      url: m.url,
      connectTimeoutMs: 2000,
      timeoutMs: 1000,
      topicPrefix: id('cap/'),
      clientIdPrefix: id('c'),
    });
    expect(caps['5.0']).toMatchObject({ supported: true, maximumQoS: 2, retainAvailable: true });
    expect(caps['3.1.1']).toMatchObject({
      supported: true,
      maximumQoS: 2,
      retainAvailable: true,
      wildcardSubscriptions: true,
      sharedSubscriptions: true,
    });
  });
});

describe('TestClient strict decoding', () => {
  it('records a violation with its statement when the server sends a malformed packet, and closes', async () => {
    // A fake server answering CONNECT with a CONNACK whose reserved flag bits are set (3.1.1).
    const server = net.createServer((s) => s.once('data', () => s.write(Buffer.from('20020200', 'hex'))));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const c = await TestClient.open({ url: `mqtt://127.0.0.1:${port}`, connectTimeoutMs: 1000, name: 'V' });
      await expect(c.connect({ level: 4, clientId: 'v' }, 1000)).rejects.toThrow(/closed/);
      expect(c.violations).toHaveLength(1);
      expect(c.violations[0].violation.statement.id).toMatch(/^MQTT-/);
      expect(c.violations[0].hex).toBe('20020200');
      expect(c.unexpectedViolations()).toHaveLength(1);
      expect(c.closed).toBe(true);
    } finally {
      server.close();
    }
  });

  it('treats an announced Maximum Packet Size of 0 as no limit for its own decoder', async () => {
    // A broker answering a CONNECT with maximum packet size 0 by a CONNACK 0x82 plus a reason
    // string: the answer is larger than 0 bytes but must decode (0 is not a limit, MQTT-3.1.2-24).
    const connack = Buffer.from(
      '20' + '0e' + '0082' + '0b' + '1f0008' + Buffer.from('protocol').toString('hex'),
      'hex',
    );
    const server = net.createServer((s) => s.once('data', () => s.write(connack)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const c = await TestClient.open({ url: `mqtt://127.0.0.1:${port}`, connectTimeoutMs: 1000, name: 'Z' });
      c.send({
        type: 'connect',
        protocolName: 'MQTT',
        protocolLevel: 5,
        clean: true,
        keepAlive: 0,
        clientId: 'z',
        properties: { maximumPacketSize: 0 },
      });
      const ack = await c.expect({ type: 'connack' }, 1000);
      expect(ack).toMatchObject({ type: 'connack', reasonCode: 0x82 });
      expect(c.unexpectedViolations()).toHaveLength(0);
      await c.close(500);
    } finally {
      server.close();
    }
  });
});
