/**
 * Abuse limits of the reference broker (policies in scenarios/broker.example.yaml): under each
 * abuse the broker keeps answering a bystander and its memory stays bounded. Sizes are scaled
 * down to keep the suite fast; the mechanisms are the same at full size.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger, startBroker, type RunningBroker } from '../../src/broker/index.ts';
import { ProbeClient } from '../../src/audit/index.ts';
import { encodePacket } from '../../src/codec/index.ts';

let b: RunningBroker;
let ep: { host: string; port: number };
const MiB = 1024 * 1024;
beforeAll(async () => {
  b = await startBroker({
    port: 0,
    logger: silentLogger,
    limits: {
      connectTimeoutMs: 1000,
      maxSubscriptionsPerClient: 1000,
      maxTopicLevels: 32,
      maxQueuedMessages: 1000,
      maxInflight: 100,
    },
    capabilities: { maximumPacketSize: MiB, topicAliasMaximum: 10 },
  });
  ep = { host: '127.0.0.1', port: b.port };
});
afterAll(async () => {
  await b.close();
});

async function client(id: string, level: 4 | 5 = 5, extra = {}): Promise<ProbeClient> {
  const c = await ProbeClient.open(ep, level);
  const ack = await c.connect(id, {}, extra);
  expect(ack?.reasonCode).toBe(0);
  return c;
}
/** A bystander connects and gets a PINGRESP within 2 s. */
async function responsive(): Promise<void> {
  const c = await client(`bystander-${Math.random().toString(36).slice(2)}`, 4);
  c.send({ type: 'pingreq' });
  expect(await c.next('pingresp', 2000)).toBeDefined();
  c.end();
}
const rss = (): number => process.memoryUsage().rss;

describe('abuse limits', () => {
  it('slowloris: CONNECTs dribbled a byte at a time are closed at connectTimeoutMs from accept', async () => {
    const connect = encodePacket(
      { type: 'connect', protocolName: 'MQTT', protocolLevel: 4, clean: true, keepAlive: 60, clientId: 'slow' },
      4,
    );
    const socks = await Promise.all(
      Array.from(
        { length: 50 },
        () =>
          new Promise<net.Socket>((r) => {
            const s = net.connect(b.port, '127.0.0.1', () => r(s));
            s.on('error', () => undefined);
          }),
      ),
    );
    const closedAt: number[] = [];
    const t0 = Date.now();
    socks.forEach((s) => s.on('close', () => closedAt.push(Date.now() - t0)));
    let i = 0;
    const drip = setInterval(() => {
      if (i < connect.length - 1) socks.forEach((s) => s.writable && s.write(connect.subarray(i, i + 1)));
      i++;
    }, 100);
    await responsive();
    await new Promise((r) => setTimeout(r, 2500));
    clearInterval(drip);
    expect(closedAt.length).toBe(50);
    expect(Math.max(...closedAt)).toBeLessThan(2500);
    await responsive();
  });

  it('100,000 subscriptions from one client: 1000 granted, the rest refused with 0x97, the connection stays', async () => {
    const before = rss();
    const c = await client('subs');
    let granted = 0,
      quota = 0;
    for (let i = 0; i < 100; i++) {
      c.send({
        type: 'subscribe',
        packetId: i + 1,
        subscriptions: Array.from({ length: 1000 }, (_, k) => ({ topicFilter: `subs/${i}/${k}`, qos: 0 as const })),
      });
      const s = await c.next('suback', 5000, (p) => p.packetId === i + 1);
      for (const code of s!.reasonCodes) {
        if (code < 0x80) granted++;
        else if (code === 0x97) quota++;
      }
    }
    expect(granted).toBe(1000);
    expect(quota).toBe(99_000);
    expect(c.closed).toBe(false);
    expect(rss() - before).toBeLessThan(200 * MiB);
    c.end();
    await responsive();
  }, 60_000);

  it('a subscriber that never reads while a publisher floods it: bounded memory, publisher and others unaffected', async () => {
    const sub = await client('sink', 5, { properties: { receiveMaximum: 100 } });
    sub.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'flood/#', qos: 1 }] });
    expect(await sub.next('suback')).toBeDefined();
    sub.socket.pause();
    const before = rss();
    const pub = await client('flooder');
    const payload = Buffer.alloc(1024, 0x61);
    for (let i = 0; i < 40_000; i++) {
      pub.send({
        type: 'publish',
        topic: `flood/${i % 10}`,
        payload,
        qos: i % 4 === 0 ? 1 : 0,
        retain: false,
        dup: false,
        ...(i % 4 === 0 ? { packetId: (i % 60_000) + 1 } : {}),
      });
      if (i % 2000 === 1999) await new Promise((r) => setImmediate(r));
    }
    pub.send({ type: 'pingreq' });
    expect(await pub.next('pingresp', 10_000)).toBeDefined();
    await responsive();
    // 40 MB offered; what waits for the sink is capped (8 MiB of QoS 0 + 100 in flight + 1000 queued).
    expect(rss() - before).toBeLessThan(150 * MiB);
    sub.end();
    pub.end();
  }, 60_000);

  it('topic-alias churn: 50,000 remappings of 10 aliases keep the connection and memory flat', async () => {
    const c = await client('alias');
    const before = rss();
    for (let i = 0; i < 50_000; i++) {
      c.send({
        type: 'publish',
        topic: `alias/${i}`,
        payload: Buffer.from('x'),
        qos: 0,
        retain: false,
        dup: false,
        properties: { topicAlias: (i % 10) + 1 },
      });
      if (i % 5000 === 4999) await new Promise((r) => setImmediate(r));
    }
    c.send({ type: 'pingreq' });
    expect(await c.next('pingresp', 10_000)).toBeDefined();
    expect(rss() - before).toBeLessThan(100 * MiB);
    c.send({
      type: 'publish',
      topic: 'alias/x',
      payload: Buffer.alloc(0),
      qos: 0,
      retain: false,
      dup: false,
      properties: { topicAlias: 11 },
    });
    expect((await c.next('disconnect', 2000))?.reasonCode).toBe(0x94);
    c.end();
  }, 60_000);

  it('deep topic levels: a 10,000-level filter and topic are refused with 0x97', async () => {
    const c = await client('deep');
    const deep = Array.from({ length: 10_000 }, () => 'a').join('/');
    c.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: deep, qos: 0 }] });
    expect((await c.next('suback'))?.reasonCodes).toEqual([0x97]);
    c.send({ type: 'publish', topic: deep, payload: Buffer.from('x'), qos: 1, retain: false, dup: false, packetId: 2 });
    expect((await c.next('puback'))?.reasonCode).toBe(0x97);
    c.end();
    await responsive();
  });

  it('1 GB of payload offered: refused from the fixed header (0x95), nothing buffered', async () => {
    const c = await client('huge');
    const before = rss();
    // A PUBLISH header claiming the protocol maximum (256 MiB), then payload streamed after it.
    c.socket.write(Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f, 0x00, 0x01, 0x68]));
    const chunk = Buffer.alloc(MiB, 0x62);
    for (let i = 0; i < 64 && !c.closed; i++) {
      c.socket.write(chunk);
      await new Promise((r) => setImmediate(r));
    }
    // The DISCONNECT 0x95 may be lost to the reset that our still-writing socket gets: the close is what counts.
    expect(await c.waitClosed(3000)).toBe(true);
    const d = c.received.find((p) => p.type === 'disconnect');
    if (d) expect(d).toMatchObject({ reasonCode: 0x95 });
    expect(rss() - before).toBeLessThan(150 * MiB);
    await responsive();
  }, 30_000);
});
