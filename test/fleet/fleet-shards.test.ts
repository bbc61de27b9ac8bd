import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startBroker } from '../../src/broker/start-broker.ts';
import { register } from '../../src/cli/fleet-command.ts';
import { loadFleetScenario, runFleetShard, type FleetResult } from '../../src/fleet/index.ts';

const bin = fileURLToPath(new URL('../../bin/mqtt-harness.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'fleet-shards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const yaml = `name: shard-test
description: thirty devices, QoS 1 every 150 ms, a hub dashboard
seed: 11
duration_ms: 1200
devices:
  count: 30
  ramp_per_s: 300
  publish: {topic: "f/{id}/t", qos: 1, interval_ms: 150}
  will: {topic: "f/{id}/status", qos: 1}
subscribers:
  - {id: dash, filter: "f/+/t", qos: 1, persistent: true}
checks: [qos1-at-least-once, ordered-topics, session-resume, last-will]
thresholds: ["p99<10s"]
`;

/** Runs one shard as its own process, as a Kubernetes Indexed Job would (index from the environment). */
function shard(file: string, url: string, index: number, count: number, out: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [bin, 'fleet', 'run', file, '--broker', url, '--out', out, '--drain', '10s'],
      {
        env: { ...process.env, JOB_COMPLETION_INDEX: String(index), JOB_COMPLETIONS: String(count) },
        timeout: 60_000,
      },
      (e, stdout, stderr) =>
        e && e.code !== 0 && e.code !== 3 ? reject(new Error(`${e.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

describe('sharding: n shard processes merged equal one process of the same seed', () => {
  it('2 shards (JOB_COMPLETION_INDEX / JOB_COMPLETIONS) merged == 1 process, in message counts and verdicts', async () => {
    const file = join(dir, 'shard-test.yaml');
    writeFileSync(file, yaml);
    const b = await startBroker({ host: '127.0.0.1', port: 0 });
    try {
      const outs = [join(dir, 's0'), join(dir, 's1')];
      const logs = await Promise.all(outs.map((o, i) => shard(file, b.url, i, 2, o)));
      expect(logs[0]).toMatch(/shard 0\/2 of 30/);
      expect(logs[1]).toMatch(/shard 1\/2 of 30/);
      const lines: string[] = [];
      vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
      const p = new Command().exitOverride();
      register(p);
      await p.parseAsync(['node', 'mqtt-harness', 'fleet', 'merge', ...outs, '--out', join(dir, 'merged')]);
      vi.restoreAllMocks();
      const merged = JSON.parse(readFileSync(join(dir, 'merged', 'fleet.json'), 'utf8')) as FleetResult;
      const { result: one } = await runFleetShard({
        scenario: loadFleetScenario(file),
        brokers: [b.url],
        out: join(dir, 'one'),
        print: () => {},
        drainMs: 10_000,
      });
      const view = (r: FleetResult) => ({
        devices: r.devices,
        published: r.counts.published,
        acknowledged: r.counts.acknowledged,
        distinct: r.counts.distinctReceived,
        verdicts: r.results.map((x) => [x.checker, x.verdict]),
        exit: r.exitCode,
      });
      expect(merged.parts).toBe(2);
      expect(merged.shards).toBe(2);
      expect(view(merged)).toEqual(view(one));
      expect(one.results.map((x) => x.verdict)).toEqual(['holds', 'holds', 'holds', 'nothing to check']);
      expect(merged.latency.e2e!.count).toBe(one.latency.e2e!.count);
      expect(lines.join('\n')).toMatch(/all guarantees hold.*nothing to check for last-will/);
    } finally {
      await b.close();
    }
  }, 90_000);
});
