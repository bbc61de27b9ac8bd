import { describe, expect, it } from 'vitest';
import { latency, memoryPerConnection, throughput } from '../../../bench/load/cases.ts';
import { startOurs } from '../../../bench/load/targets.ts';

// Keeps the broker bench's load generator honest: small bounded runs must deliver every
// message exactly as counted. No timing is asserted here; figures belong to `npm run bench:broker`.
describe('broker bench load generator (small bounded runs against our broker)', () => {
  it('delivers every message at QoS 1 and 2, fans out, measures latency and RSS', async () => {
    const t = await startOurs();
    try {
      for (const qos of [1, 2] as const) {
        // maxCount bounds the run; the duration is only a ceiling (400 ms was too short on a loaded machine: 280 of 300 sent).
        const r = await throughput(t, { qos, subs: 1, durationMs: 20_000, maxCount: 300, window: 20 });
        expect(r.sent).toBe(300);
        expect(r.received).toBe(300);
      }
      const f = await throughput(t, { qos: 0, pubQos: 1, subs: 5, durationMs: 20_000, maxCount: 100, window: 20 });
      expect(f.received).toBe(500);
      const l = await latency(t, { rate: 500, durationMs: 400 });
      expect(l.received).toBe(l.sent);
      expect(l.p50).toBeGreaterThan(0);
      expect(l.p99).toBeGreaterThanOrEqual(l.p50);
      const m = await memoryPerConnection(t, { conns: 50 });
      expect(m.conns).toBe(50);
      expect(m.failed).toBe(0);
    } finally {
      await t.stop();
    }
  }, 90_000);
});
