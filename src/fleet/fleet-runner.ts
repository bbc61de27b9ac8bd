/**
 * Runs a fleet scenario: subscribers first, then N devices publishing on their schedule over
 * their links, then a bounded drain and the checkers over the shared history.
 */
import { sleep } from '../common/index.ts';
import type { ToxicInput } from '../proxy/index.ts';
import { formatResult, type CheckResult, type CheckerName, type History } from '../checker/index.ts';
import type { FleetScenario } from './fleet-scenario.ts';
import { ResilienceHarness } from './resilience-harness.ts';

export interface FleetRunOptions {
  brokerUrl: string;
  /** Overrides the scenario's seed (e.g. to replay one printed on failure). */
  seed?: number;
  /** Bound on the drain after publishing (real ms, default 10000). */
  drainMs?: number;
  onProgress?: (line: string) => void;
}

export interface FleetReport {
  scenario: string;
  seed: number;
  version: string;
  devices: number;
  published: number;
  acknowledged: number;
  received: number;
  drops: number;
  faults: number;
  runMs: number;
  checkMs: number;
  results: CheckResult[];
  valid: boolean;
  history: History;
}

export async function runFleet(s: FleetScenario, o: FleetRunOptions): Promise<FleetReport> {
  const seed = o.seed ?? s.seed;
  const log = o.onProgress ?? (() => {});
  const h = new ResilienceHarness({
    brokerUrl: o.brokerUrl, version: s.version, seed, timeScale: s.time_scale,
    prefix: `${s.name.slice(0, 8)}${seed.toString(36)}${Date.now().toString(36).slice(-4)}`, maxWaitMs: o.drainMs ?? 10_000,
  });
  const t0 = Date.now();
  try {
    for (const sub of s.subscribers) {
      if (sub.link) await h.link(sub.id, { profile: sub.link });
      await h.subscribe(sub.id, sub.filter, sub.qos, { persistent: sub.persistent });
    }
    const names = Array.from({ length: s.devices.count }, (_, i) => `${s.devices.id_prefix}-${i + 1}`);
    for (const name of names) {
      await h.link(name, { profile: s.link });
      for (const t of s.faults) await h.fault(name, t as ToxicInput); // attributes are validated by the proxy
      const will = s.devices.will ? { topic: h.topic(s.devices.will.topic.replace(/\{id\}/g, name)), qos: s.devices.will.qos } : undefined;
      await h.device(name, { persistent: s.devices.persistent, ...(will ? { will } : {}) });
    }
    log(`${names.length} devices connected; publishing for ${h.ms(s.duration_ms)} ms`);
    const p = s.devices.publish;
    const end = Date.now() + h.ms(s.duration_ms);
    const outcomes: Promise<unknown>[] = [];
    await Promise.all(names.map(async (name) => {
      const d = h.get(name);
      const topic = h.topic(p.topic.replace(/\{id\}/g, name));
      await sleep(Math.floor(h.rng.next() * h.ms(p.interval_ms)));
      for (let i = 0; i < p.max_messages && Date.now() < end; i++) {
        outcomes.push(d.publish(topic, p.qos, { retain: p.retain }));
        await sleep(h.ms(p.interval_ms));
      }
    }));
    log(`published ${outcomes.length} messages; draining`);
    await Promise.race([Promise.all(outcomes), sleep(o.drainMs ?? 10_000)]);
    await h.settle(200);
    for (const name of [...s.subscribers.map((x) => x.id), ...names]) await h.disconnect(name).catch(() => {});
    const runMs = Date.now() - t0;
    const c0 = performance.now();
    const results = h.check(s.checks as CheckerName[]);
    const checkMs = performance.now() - c0;
    for (const r of results) log(formatResult(r));
    const ops = h.recorder.history;
    const count = (f: (op: History[number]) => boolean): number => ops.reduce((n, op) => n + (f(op) ? 1 : 0), 0);
    return {
      scenario: s.name, seed, version: s.version, devices: names.length,
      published: count((x) => x.f === 'publish' && x.type === 'invoke'),
      acknowledged: count((x) => x.f === 'publish' && x.type === 'ok'),
      received: count((x) => x.f === 'receive'),
      drops: count((x) => x.f === 'drop'),
      faults: count((x) => x.f === 'fault'),
      runMs, checkMs, results, valid: results.every((r) => r.valid !== false), history: ops,
    };
  } finally {
    await h.close();
  }
}
