import { describe, expect, it } from 'vitest';
import { LiveView } from '../../src/fleet/live/live-view.ts';
import { encodeHistogram, newHistogram } from '../../src/fleet/engine/metrics.ts';

const stats = (tag: string, over: Record<string, unknown> = {}) => ({
  tag,
  t: 0,
  connected: 10,
  devices: 12,
  faulty: 1,
  published: 100,
  received: 90,
  errors: 2,
  drops: 3,
  phase: 'publishing',
  ...over,
});

describe('live view', () => {
  it('adds the workers up: a plain status line, and Prometheus text on --metrics-port', async () => {
    const lines: string[] = [];
    const v = new LiveView({ devices: 24, durationMs: 10_000, tty: false, print: (l) => lines.push(l) });
    const h = newHistogram();
    for (const us of [10_000, 20_000, 30_000, 400_000]) h.recordValue(us);
    v.update(stats('a', { e2e: encodeHistogram(h) }));
    v.update(stats('b'));
    v.aggregate();
    const line = v.plainLine(5000);
    expect(line).toMatch(/^\[5s\] publishing: connected=20\/24 /);
    expect(line).toMatch(/published=200 received=180 errors=4 links_down=2/);
    expect(line).toMatch(/p50=20ms p99=400ms/);
    const port = await v.serve(0);
    try {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(text).toMatch(/^# HELP fleet_devices/m);
      expect(text).toMatch(/^fleet_connected 20$/m);
      expect(text).toMatch(/^fleet_published_total 200$/m);
      expect(text).toMatch(/^# TYPE fleet_published_total counter$/m);
      expect(text).toMatch(/^fleet_e2e_latency_p99_ms 400/m);
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    } finally {
      await v.stop();
    }
  });

  it('prints a plain line every 5 s when not on a terminal', async () => {
    const lines: string[] = [];
    const v = new LiveView({
      devices: 1,
      durationMs: 10_000,
      tty: false,
      print: (l) => lines.push(l),
      plainEveryMs: 1500,
    });
    v.start();
    await new Promise((r) => setTimeout(r, 3300));
    await v.stop();
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.length).toBeLessThanOrEqual(2);
    expect(lines[0]).toMatch(/^\[\d+s\] starting: connected=0\/1/);
  });
});
