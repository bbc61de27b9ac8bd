/** Test helpers: a Broker on a plain net.Server bound to 127.0.0.1:0, and MQTT.js clients. */
import net from 'node:net';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { Broker, type BrokerOptions } from '../../src/broker/index.ts';
import { withTimeout } from '../../src/common/index.ts';

export interface TestBroker {
  broker: Broker;
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function startTestBroker(opts: BrokerOptions = {}): Promise<TestBroker> {
  const broker = new Broker(opts);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    broker.handle(s, { transport: 'tcp', remoteAddress: s.remoteAddress });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    broker,
    port,
    url: `mqtt://127.0.0.1:${port}`,
    async close() {
      await broker.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Poll `cond` every 5 ms (no long sleeps) until it holds; throws naming `what` after `ms`. */
export async function until(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const clients = new Set<MqttClient>();

export async function connect(tb: TestBroker, opts: IClientOptions = {}): Promise<MqttClient> {
  const c = mqtt.connect(tb.url, { reconnectPeriod: 0, connectTimeout: 5000, ...opts });
  clients.add(c);
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      c.once('connect', () => resolve());
      c.once('error', reject);
    }),
    5000,
    'MQTT.js connect',
  );
  return c;
}

/** Connect and start collecting `n` messages before CONNACK arrives (a resumed session may deliver at once). */
export async function connectCollect(tb: TestBroker, opts: IClientOptions, n: number, ms = 3000) {
  const c = mqtt.connect(tb.url, { reconnectPeriod: 0, connectTimeout: 5000, ...opts });
  clients.add(c);
  const messages = collect(c, n, ms);
  messages.catch(() => undefined);
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      c.once('connect', () => resolve());
      c.once('error', reject);
    }),
    5000,
    'MQTT.js connect',
  );
  return { client: c, messages };
}

export async function endAll(): Promise<void> {
  await Promise.all([...clients].map((c) => new Promise<void>((r) => c.end(true, {}, () => r()))));
  clients.clear();
}

/** Collect `n` messages from a client, with a timeout. */
export function collect(
  c: MqttClient,
  n: number,
  ms = 3000,
): Promise<{ topic: string; payload: string; packet: mqtt.IPublishPacket }[]> {
  const got: { topic: string; payload: string; packet: mqtt.IPublishPacket }[] = [];
  return withTimeout(
    new Promise((resolve) => {
      const on = (topic: string, payload: Buffer, packet: mqtt.IPublishPacket) => {
        got.push({ topic, payload: payload.toString(), packet });
        if (got.length >= n) {
          c.off('message', on);
          resolve(got);
        }
      };
      c.on('message', on);
      if (n === 0) resolve(got);
    }),
    ms,
    `${n} messages (got ${got.length})`,
  );
}

/**
 * What arrives up to a round trip through the broker (an UNSUBSCRIBE of an unused filter and
 * its UNSUBACK) plus `ms`, for asserting that nothing arrives: the broker sends a connection's
 * packets in order, so anything due before the round trip has been received by then.
 */
export async function quiet(c: MqttClient, ms = 30): Promise<string[]> {
  const got: string[] = [];
  const on = (topic: string, payload: Buffer) => got.push(`${topic}:${payload.toString()}`);
  c.on('message', on);
  await withTimeout(c.unsubscribeAsync('mh-barrier/none'), 3000, 'UNSUBACK of the barrier');
  await new Promise((r) => setTimeout(r, ms));
  c.off('message', on);
  return got;
}

export const sub = (c: MqttClient, topic: string | string[], opts: mqtt.IClientSubscribeOptions = { qos: 0 }) =>
  withTimeout(c.subscribeAsync(topic, opts), 3000, `SUBACK for ${topic}`);

export const pub = (c: MqttClient, topic: string, payload: string | Buffer, opts: mqtt.IClientPublishOptions = {}) =>
  withTimeout(c.publishAsync(topic, payload, opts), 3000, `publish ack for ${topic}`);
