import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker } from '../../src/broker/start-broker.ts';
import { parseFleetScenario, runFleet } from '../../src/fleet/index.ts';

let broker: Awaited<ReturnType<typeof startBroker>>;
beforeAll(async () => {
  broker = await startBroker({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await broker?.close();
});

describe('runFleet', () => {
  it('runs a small fleet through lossy links and the checkers accept it', async () => {
    const s = parseFleetScenario({
      name: 'tiny', description: 'test', seed: 3, duration_ms: 600, version: '5.0',
      devices: { count: 4, publish: { topic: 'f/{id}/t', qos: 1, interval_ms: 40, max_messages: 10 }, will: { topic: 'f/{id}/status', qos: 1 } },
      subscribers: [{ id: 'dash', filter: 'f/+/t', qos: 1, persistent: true }],
      faults: [{ type: 'mqtt_drop', stream: 'downstream', attributes: { packet_type: 'puback', probability: 0.1 } }],
      checks: ['qos1-at-least-once', 'ordered-topics', 'session-resume', 'last-will'],
    }, 'inline');
    const lines: string[] = [];
    const r = await runFleet(s, { brokerUrl: broker.url, drainMs: 8000, onProgress: (l) => lines.push(l) });
    expect(r.devices).toBe(4);
    expect(r.published).toBeGreaterThan(20);
    expect(r.acknowledged).toBe(r.published);
    expect(r.received).toBeGreaterThanOrEqual(r.published);
    expect(r.results.map((x) => [x.checker, x.valid])).toEqual([
      ['qos1-at-least-once', true], ['ordered-topics', true], ['session-resume', true], ['last-will', true],
    ]);
    expect(lines[0]).toMatch(/4 devices connected/);
  });
});
