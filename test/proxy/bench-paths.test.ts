import { describe, expect, it } from 'vitest';
import { startOurs } from '../../bench/load/targets.ts';
import { measureFloor } from '../../bench/proxy/hop-floor.ts';
import { harnessInProcess, harnessProcess, pipeInProcess, pipeProcess, type Hop } from '../../bench/proxy/hops.ts';
import { latency, throughput } from '../../bench/proxy/measure.ts';

// Keeps the proxy bench honest: every path it compares must carry every message it counts.
// No timing is asserted here; figures belong to `npm run bench:proxy`.
describe('proxy bench paths (small bounded runs against our broker)', () => {
  it('direct, harness proxy and plain pipe, in their own process and in-process, deliver every message', async () => {
    const t = await startOurs();
    const hops: Hop[] = [];
    try {
      for (const start of [harnessProcess, pipeProcess, harnessInProcess, pipeInProcess])
        hops.push(await start(t.port, []));
      for (const port of [t.port, ...hops.map((h) => h.port)]) {
        const r = await throughput(port, `t${port}`, { count: 2000, durationMs: 10_000, window: 500 });
        expect(r.count).toBe(2000);
        const h = await latency(port, `l${port}`, { rate: 500, durationMs: 200 });
        expect(h.totalCount).toBe(100);
        expect(h.getValueAtPercentile(50)).toBeGreaterThan(0);
      }
    } finally {
      for (const h of hops) await h.close();
      await t.stop();
    }
  }, 90_000);

  it('measures the loopback round trip to another process and within one', async () => {
    const f = await measureFloor(50);
    expect(f.crossProcessP50).toBeGreaterThan(0);
    expect(f.inProcessP50).toBeGreaterThan(0);
  }, 30_000);
});
