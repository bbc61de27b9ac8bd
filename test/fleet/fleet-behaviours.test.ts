import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker } from '../../src/broker/start-broker.ts';
import { loadFleetScenario, runFleetShard } from '../../src/fleet/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'fleet-beh-'));
let broker: Awaited<ReturnType<typeof startBroker>>;
beforeAll(async () => {
  broker = await startBroker({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await broker?.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (name: string, devices: number, durationMs: number) =>
  runFleetShard({
    scenario: loadFleetScenario(name),
    brokers: [broker.url],
    out: join(dir, name),
    devices,
    durationMs,
    print: () => {},
    drainMs: 15_000,
  });

describe('fleet behaviours (scenarios/fleets, shrunk)', () => {
  it('config-fanout: every device gets the retained configuration', async () => {
    const { result: r } = await run('config-fanout', 25, 1500);
    const retained = r.results.find((x) => x.checker === 'retained-last-value')!;
    expect(retained.verdict).toBe('holds');
    expect(retained.checked).toBe(25);
    expect(r.exitCode).toBe(0);
  });

  it('sleepy-sensors: devices wake, publish, disconnect normally; no will fires, every reading arrives', async () => {
    const { result: r } = await run('sleepy-sensors', 15, 4500);
    expect(r.counts.connects).toBeGreaterThanOrEqual(2 * 15); // woke up and connected again
    expect(r.results.map((x) => [x.checker, x.verdict])).toEqual([
      ['qos1-at-least-once', 'holds'],
      ['ordered-topics', 'holds'],
      ['session-resume', 'holds'],
      ['last-will', 'holds'],
    ]);
    expect(r.counts.received).toBe(r.counts.published); // no will was published on a normal disconnect
  });
});
