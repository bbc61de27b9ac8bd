/**
 * Attaches a ResilienceHarness to the conformance World without touching world.ts: a
 * WeakMap keyed by the World, created on first use, closed in an After hook that attaches
 * the history, the checker results and the seed to a failed scenario.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { After, Status } from '@cucumber/cucumber';
import { seedFromEnv } from '../../src/common/index.ts';
import { ResilienceHarness, unsupportedTarget } from '../../src/fleet/index.ts';
import type { ConformanceWorld } from './world.ts';
import { NotApplicableError, workloadNeeds } from './capability-guard.ts';

const harnesses = new WeakMap<ConformanceWorld, ResilienceHarness>();
const seeds = new WeakMap<ConformanceWorld, number>();
let seq = 0;

/** Multiplies the durations written in resilience scenarios (default 0.1: "10 seconds" = 1 s). */
function resilienceScale(world: ConformanceWorld): number {
  const raw = process.env.MQTT_RESILIENCE_TIME_SCALE;
  const base = raw === undefined || raw === '' ? 0.1 : Number(raw);
  if (!Number.isFinite(base) || base <= 0)
    throw new Error(`MQTT_RESILIENCE_TIME_SCALE must be a positive number, got "${raw}"`);
  return base * world.run.config.timeScale;
}

/**
 * Fixes the seed before the harness exists (the "Given a resilience run with seed N" step);
 * returns 'skipped' (not applicable) when the target cannot sit behind the proxy.
 */
export function setSeed(world: ConformanceWorld, seed: number): 'skipped' | undefined {
  if (harnesses.has(world)) throw new Error('the seed must be set before the first resilience step');
  seeds.set(world, seed >>> 0);
  const why = unsupportedTarget(world.run.url);
  return why === undefined ? undefined : world.notApplicable(why);
}

/** Scenarios that switched to their own (deliberately broken) broker: no capability gating. */
const ownBroker = new WeakSet<ConformanceWorld>();

/**
 * The harness behind a guard: a workload needing a capability the target lacks (a wildcard
 * subscription, a QoS above its maximum, retained messages) makes the scenario not applicable
 * (capability-guard.ts). A scenario running its own broker is not gated.
 */
function guarded(world: ConformanceWorld, h: ResilienceHarness): ResilienceHarness {
  const check = (o: { filter?: string; qos?: number; retain?: boolean }): void => {
    const caps = ownBroker.has(world) || !world.guardCapabilities ? undefined : world.capabilitiesAt(world.level);
    const why = caps && workloadNeeds(caps, o, world.level);
    if (why) throw new NotApplicableError(`${why} (MQTT ${world.version})`);
  };
  return new Proxy(h, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (typeof v !== 'function') return v;
      const f = v as (...a: unknown[]) => unknown;
      switch (prop) {
        case 'useOwnBroker':
          return (...a: unknown[]) => {
            ownBroker.add(world);
            return f.apply(target, a);
          };
        case 'subscribe':
          return (name: string, filter: string, qos: number, ...rest: unknown[]) => {
            check({ filter, qos });
            return f.call(target, name, filter, qos, ...rest);
          };
        case 'publish':
        case 'startPublishing':
          return (name: string, n: number, topic: string, qos: number, o?: { retain?: boolean }) => {
            check({ qos, retain: o?.retain });
            return f.call(target, name, n, topic, qos, o);
          };
        case 'device':
          return (name: string, o?: { will?: { qos?: number; retain?: boolean } }) => {
            check({ qos: o?.will?.qos, retain: o?.will?.retain });
            return f.call(target, name, o);
          };
        default:
          return f.bind(target);
      }
    },
  });
}

export function harness(world: ConformanceWorld): ResilienceHarness {
  let h = harnesses.get(world);
  if (h === undefined) {
    const seed = seeds.get(world) ?? seedFromEnv();
    h = new ResilienceHarness({
      brokerUrl: world.run.url,
      version: world.version,
      seed,
      prefix: `${world.run.runTag}r${(seq++).toString(36)}`,
      timeScale: resilienceScale(world),
      maxWaitMs: Math.round(5000 * world.run.config.timeScale),
      username: world.run.config.username,
      password: world.run.config.password,
    });
    harnesses.set(world, h);
  }
  return guarded(world, h);
}

After({ tags: '@resilience', timeout: 20_000 }, async function (this: ConformanceWorld, { result }) {
  const h = harnesses.get(this);
  if (h === undefined) return;
  harnesses.delete(this);
  try {
    await h.close();
  } finally {
    const dir = process.env.MQTT_RESILIENCE_DUMP;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${h.opts.prefix}.jsonl`), h.artifacts().history);
    }
    if (result?.status === Status.FAILED) {
      const a = h.artifacts();
      this.attach(`resilience seed: ${a.seed} (replay with MQTT_HARNESS_SEED=${a.seed})`, 'text/plain');
      if (a.results !== '') this.attach(a.results, 'text/plain');
      this.attach(a.history, 'application/x-ndjson');
      console.error(`[resilience] scenario failed; seed ${a.seed}; history of ${h.recorder.size} ops attached`);
    }
  }
});
