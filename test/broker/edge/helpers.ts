import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { withTimeout } from '../../../src/common/index.ts';

/** MQTT.js (test oracle) connect with a bounded wait; resolves with the client or rejects with the broker's refusal. */
export function mqttConnect(url: string, opts: IClientOptions = {}): Promise<MqttClient> {
  const c = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 5000, ...opts });
  return withTimeout(
    new Promise<MqttClient>((resolve, reject) => {
      c.once('connect', () => resolve(c));
      c.once('error', (e) => {
        c.end(true);
        reject(e);
      });
      c.once('close', () => reject(new Error('closed before CONNACK')));
    }),
    8000,
    `MQTT.js connect to ${url}`,
  );
}

export function nextMessage(c: MqttClient, what: string, ms = 5000): Promise<{ topic: string; payload: string }> {
  return withTimeout(
    new Promise((resolve) => c.once('message', (topic, payload) => resolve({ topic, payload: payload.toString() }))),
    ms,
    what,
  );
}

export async function endAll(...cs: Array<MqttClient | undefined>): Promise<void> {
  await Promise.all(
    cs.map((c) => (c ? withTimeout(c.endAsync(true), 3000, 'client end').catch(() => undefined) : undefined)),
  );
}
