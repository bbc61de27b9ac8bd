/**
 * A 5-kill version of `npm run soak:crash`: kill -9 the broker (file persistence) 5 times during
 * QoS 1/2 traffic, restart it, check the whole history: no acknowledged message lost, QoS 2
 * delivered exactly once.
 */
import { expect, it } from 'vitest';
import { formatResult } from '../../src/checker/index.ts';
import { runCrashSoak } from '../../src/fuzz/index.ts';

it('5 kills -9 during QoS 1/2 traffic: no acknowledged message lost, QoS 2 exactly once', async () => {
  const seed = Number(process.env.MQTT_HARNESS_SEED ?? 5);
  const r = await runCrashSoak({ kills: 5, seed, level: 5, intervalMs: [200, 500] });
  const q1 = r.results.find((x) => x.checker === 'qos1-at-least-once')!;
  const q2 = r.results.find((x) => x.checker === 'qos2-exactly-once')!;
  console.log(
    `crash soak (seed ${seed}): ${r.published} published, ${r.acknowledged} acknowledged, ${r.received} received`,
  );
  expect(r.acknowledged).toBeGreaterThan(100);
  expect(r.received).toBeGreaterThan(100);
  expect(q1.valid, `seed ${seed}: ${formatResult(q1)}`).not.toBe(false);
  expect(q2.valid, `seed ${seed}: ${formatResult(q2)}`).not.toBe(false);
}, 120_000);
