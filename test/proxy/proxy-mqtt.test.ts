import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { createProxy, type FaultEvent, type Proxy } from '../../src/proxy/index.ts';
import { withTimeout, sleep } from '../../src/common/index.ts';
import { existsSync } from 'node:fs';
import { MOSQUITTO, RawClient, startMosquitto, type Broker } from './helpers.ts';

const haveMosquitto = existsSync(MOSQUITTO);
if (!haveMosquitto)
  console.warn(`test/proxy/proxy-mqtt: SKIPPED: ${MOSQUITTO} is not installed (apt-get install mosquitto)`);

let broker: Broker;
const proxies: Proxy[] = [];
const clients: Array<{ close(): void }> = [];

beforeAll(async () => {
  if (haveMosquitto) broker = await startMosquitto();
});
afterAll(async () => {
  for (const c of clients) c.close();
  for (const p of proxies) await p.close();
  await broker?.stop();
});

async function proxy(opts: Partial<Parameters<typeof createProxy>[0]> = {}): Promise<Proxy> {
  const p = await createProxy({ upstream: broker.url, seed: 42, ...opts });
  proxies.push(p);
  return p;
}

describe.skipIf(!haveMosquitto)('proxy with MQTT framing against mosquitto', () => {
  it('passes a QoS 1 round trip, learns the client id and counts packets by type', async () => {
    const p = await proxy();
    const sub = await RawClient.connect(p.port, 'sub-1');
    clients.push(sub);
    sub.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 't/1', qos: 1 }] });
    await sub.waitFor((x) => x.type === 'suback', 'SUBACK');
    const pub = await RawClient.connect(p.port, 'pub-1');
    clients.push(pub);
    pub.send({
      type: 'publish',
      topic: 't/1',
      payload: Buffer.from('hello'),
      qos: 1,
      retain: false,
      dup: false,
      packetId: 7,
    });
    await pub.waitFor((x) => x.type === 'puback', 'PUBACK');
    const msg = await sub.waitFor((x) => x.type === 'publish', 'PUBLISH at subscriber');
    expect(msg.type === 'publish' && msg.payload.toString()).toBe('hello');
    const links = p.links();
    expect(links.map((l) => l.clientId).sort()).toEqual(['pub-1', 'sub-1']);
    const pl = links.find((l) => l.clientId === 'pub-1')!;
    expect(pl.mode).toBe('mqtt');
    expect(pl.protocolLevel).toBe(4);
    expect(pl.upstream.byType.connect).toBe(1);
    expect(pl.upstream.byType.publish).toBe(1);
    expect(pl.downstream.byType.puback).toBe(1);
    expect(p.stats().connections).toBe(2);
  });

  it('drops the first PUBACK to client A; MQTT.js retries the QoS 1 publish after a reconnect', async () => {
    const p = await proxy();
    const events: FaultEvent[] = [];
    p.onFault((e) => {
      events.push(e);
      if (e.action === 'drop') setTimeout(() => p.cut({ clientId: 'A' }, 'reset'), 50);
    });
    p.addToxic({
      name: 'drop-puback',
      type: 'mqtt_drop',
      stream: 'downstream',
      attributes: { packet_type: 'puback', nth: 1, client_id: 'A' },
    });
    const c = mqtt.connect(p.url, { clientId: 'A', clean: false, reconnectPeriod: 100, connectTimeout: 2000 });
    clients.push({ close: () => c.end(true) });
    await withTimeout(new Promise<void>((r) => c.once('connect', () => r())), 3000, 'MQTT.js connect');
    await withTimeout(c.publishAsync('r/1', 'x', { qos: 1 }), 5000, 'QoS 1 publish completion');
    const drop = events.find((e) => e.action === 'drop');
    expect(drop).toMatchObject({
      toxic: 'drop-puback',
      clientId: 'A',
      direction: 'downstream',
      packet: { type: 'puback' },
    });
    expect(events.some((e) => e.action === 'reset' && e.clientId === 'A')).toBe(true);
    const aLinks = p.links().filter((l) => l.clientId === 'A');
    expect(aLinks.length).toBeGreaterThanOrEqual(2);
    const pubs = aLinks.reduce((n, l) => n + (l.upstream.byType.publish ?? 0), 0);
    expect(pubs).toBeGreaterThanOrEqual(2);
    expect(p.stats().faults['drop-puback']).toBe(1);
  });

  it('delays every PUBREL by 300 ms and keeps the order of packets behind it', async () => {
    const p = await proxy();
    p.addToxic({
      name: 'slow-pubrel',
      type: 'mqtt_delay',
      stream: 'upstream',
      attributes: { packet_type: 'pubrel', delay_ms: 300 },
    });
    const c = await RawClient.connect(p.port, 'q2');
    clients.push(c);
    c.send({
      type: 'publish',
      topic: 'q/2',
      payload: Buffer.from('z'),
      qos: 2,
      retain: false,
      dup: false,
      packetId: 11,
    });
    await c.waitFor((x) => x.type === 'pubrec', 'PUBREC');
    const t0 = performance.now();
    c.send({ type: 'pubrel', packetId: 11 });
    c.send({ type: 'pingreq' });
    await c.waitFor((x) => x.type === 'pubcomp', 'PUBCOMP');
    const waited = performance.now() - t0;
    await c.waitFor((x) => x.type === 'pingresp', 'PINGRESP');
    // PINGREQ was sent after PUBREL, so its answer must come after PUBCOMP.
    const order = c.received.map((x) => x.type).filter((t) => t === 'pubcomp' || t === 'pingresp');
    expect(order).toEqual(['pubcomp', 'pingresp']);
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(p.faults().filter((e) => e.action === 'delay')).toHaveLength(1);
  });

  it('duplicates PUBLISH packets to the subscriber', async () => {
    const p = await proxy();
    p.addToxic({
      name: 'dup',
      type: 'mqtt_duplicate',
      stream: 'downstream',
      attributes: { packet_type: 'publish', topic: 'd/#', copies: 2 },
    });
    const sub = await RawClient.connect(p.port, 'dsub');
    clients.push(sub);
    sub.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'd/#', qos: 0 }] });
    await sub.waitFor((x) => x.type === 'suback', 'SUBACK');
    const pub = await RawClient.connect(broker.port, 'dpub');
    clients.push(pub);
    pub.send({ type: 'publish', topic: 'd/x', payload: Buffer.from('1'), qos: 0, retain: false, dup: false });
    await sub.waitFor((x) => x.type === 'publish', 'first copy');
    await sleep(100);
    expect(sub.received.filter((x) => x.type === 'publish')).toHaveLength(3);
  });

  it('corrupting CONNECT makes the broker close the connection', async () => {
    const p = await proxy();
    p.addToxic({
      name: 'bad',
      type: 'mqtt_corrupt',
      stream: 'upstream',
      attributes: { packet_type: 'connect', mode: 'reserved_type' },
    });
    await expect(RawClient.connect(p.port, 'bad')).rejects.toThrow(/closed|timed out/);
    expect(p.faults()[0]).toMatchObject({ action: 'corrupt', packet: { type: 'connect' } });
  });

  it('falls back to byte mode when the client does not speak MQTT', async () => {
    const p = await proxy();
    const { connect } = await import('node:net');
    const s = connect(p.port, '127.0.0.1');
    clients.push({ close: () => s.destroy() });
    s.on('error', () => {}); // mosquitto resets the connection; the proxy passes the RST on
    await withTimeout(new Promise((r) => s.once('connect', r)), 3000, 'connect');
    s.write('GET / HTTP/1.1\r\n\r\n');
    await withTimeout(new Promise((r) => s.once('close', r)), 3000, 'mosquitto closing a non-MQTT connection');
    const l = p.links()[0];
    expect(l.mode).toBe('bytes');
    expect(l.fallbackReason).toMatch(/upstream/);
  });

  it('same seed → same fault sequence through real sockets', async () => {
    const run = async (seed: number, tag: string) => {
      const p = await proxy({ seed });
      p.addToxic({
        name: 'coin',
        type: 'mqtt_drop',
        stream: 'downstream',
        attributes: { topic: `det/${tag}/#`, probability: 0.5 },
      });
      const sub = await RawClient.connect(p.port, `det-sub-${tag}`);
      clients.push(sub);
      sub.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: `det/${tag}/#`, qos: 0 }] });
      await sub.waitFor((x) => x.type === 'suback', 'SUBACK');
      const pub = await RawClient.connect(broker.port, `det-pub-${tag}`);
      clients.push(pub);
      for (let i = 0; i < 40; i++)
        pub.send({
          type: 'publish',
          topic: `det/${tag}/${i}`,
          payload: Buffer.from([i]),
          qos: 0,
          retain: false,
          dup: false,
        });
      pub.send({ type: 'pingreq' });
      await pub.waitFor((x) => x.type === 'pingresp', 'PINGRESP');
      const got = () =>
        sub.received.filter((x) => x.type === 'publish').map((x) => (x.type === 'publish' ? x.payload[0] : -1));
      const deadline = Date.now() + 3000;
      while (p.faults().length + got().length < 40 && Date.now() < deadline) await sleep(10);
      expect(p.stats().downstream.byType.publish).toBe(40);
      const dropped = p.faults().map((e) => Number(e.packet?.topic?.split('/')[2]));
      expect([...dropped, ...got()].sort((a, b) => a - b)).toEqual([...Array(40).keys()]);
      return dropped;
    };
    const a = await run(42, 'a');
    const b = await run(42, 'b');
    const c = await run(43, 'c');
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.length).toBeGreaterThan(5);
  });

  it('disconnect after N packets cuts the link at that packet', async () => {
    const p = await proxy();
    p.addToxic({ type: 'disconnect', stream: 'upstream', attributes: { after_packets: 3, mode: 'close' } });
    const c = await RawClient.connect(p.port, 'dc'); // CONNECT = packet 1
    c.send({ type: 'pingreq' }); // 2
    await c.waitFor((x) => x.type === 'pingresp', 'PINGRESP');
    c.send({ type: 'pingreq' }); // 3: passes, then the link is cut
    await c.waitClose();
    expect(p.faults()).toMatchObject([{ action: 'close', toxic: 'disconnect_upstream', clientId: 'dc' }]);
    expect(p.links()[0].upstream.packets).toBe(3);
  });

  it('decode option: packets are decoded with the codec and violations counted, still forwarded', async () => {
    const p = await proxy({ decode: true });
    const seen: string[] = [];
    p.addToxic({ name: 'watch', type: 'mqtt_delay', stream: 'upstream', attributes: { delay_ms: 0 } });
    p.onFault((e) => seen.push(e.packet?.type ?? ''));
    const c = await RawClient.connect(p.port, 'dec', 5);
    clients.push(c);
    c.socket.write(Buffer.from([0x80, 0x06, 0x00, 0x01, 0x00, 0x01, 0x61, 0x00])); // SUBSCRIBE with flags 0: malformed
    await c.waitClose();
    const l = p.links()[0];
    expect(l.protocolLevel).toBe(5);
    expect(l.upstream.violations).toBe(1);
    expect(l.firstViolation).toMatch(/subscribe: MQTT-3\.8\.1-1/);
    expect(seen).toEqual(['connect', 'subscribe']);
  });

  it('adding and removing MQTT toxics mid-stream never breaks the byte stream', async () => {
    const p = await proxy();
    const sub = await RawClient.connect(broker.port, 'flip-sub');
    clients.push(sub);
    sub.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'flip/#', qos: 0 }] });
    await sub.waitFor((x) => x.type === 'suback', 'SUBACK');
    const pub = await RawClient.connect(p.port, 'flip-pub');
    clients.push(pub);
    const N = 600;
    for (let i = 0; i < N; i++) {
      const payload = Buffer.alloc(1 + ((i * 997) % 3000), i % 251);
      pub.send({ type: 'publish', topic: `flip/${i}`, payload, qos: 0, retain: false, dup: false });
      if (i % 50 === 10)
        p.addToxic({
          name: 'w',
          type: 'mqtt_delay',
          stream: 'upstream',
          attributes: { packet_type: 'pingreq', delay_ms: 1 },
        });
      if (i % 50 === 35) p.removeToxic('w');
      if (i % 25 === 0) await sleep(1);
    }
    const deadline = Date.now() + 5000;
    while (sub.received.filter((x) => x.type === 'publish').length < N && Date.now() < deadline) await sleep(10);
    const topics = sub.received.flatMap((x) => (x.type === 'publish' ? [x.topic] : []));
    expect(topics).toEqual(Array.from({ length: N }, (_, i) => `flip/${i}`));
    const sizes = sub.received.flatMap((x) => (x.type === 'publish' ? [x.payload.length] : []));
    expect(sizes).toEqual(Array.from({ length: N }, (_, i) => 1 + ((i * 997) % 3000)));
    expect(p.links()[0].mode).toBe('mqtt');
  });

  it('periodic outages: MQTT.js reconnects after each and its QoS 1 publishes all complete', async () => {
    const p = await proxy();
    p.addToxic({
      name: 'handover',
      type: 'outage',
      attributes: { up_ms: 250, down_ms: 150, cycles: 2, existing: 'reset', new_connections: 'refuse' },
    });
    const c = mqtt.connect(p.url, { clientId: 'roamer', clean: false, reconnectPeriod: 50, connectTimeout: 1000 });
    clients.push({ close: () => c.end(true) });
    await withTimeout(new Promise<void>((r) => c.once('connect', () => r())), 3000, 'connect');
    for (let i = 0; i < 12; i++) {
      await withTimeout(c.publishAsync('roam/x', String(i), { qos: 1 }), 5000, `publish ${i}`);
      await sleep(80);
    }
    const acts = p.faults().map((e) => e.action);
    expect(acts.filter((a) => a === 'outage-start')).toHaveLength(2);
    expect(acts.filter((a) => a === 'outage-end')).toHaveLength(2);
    expect(p.stats().connections).toBeGreaterThanOrEqual(3);
  });
});
