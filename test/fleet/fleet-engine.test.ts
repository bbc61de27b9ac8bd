import { describe, expect, it } from 'vitest';
import { listProfiles } from '../../src/proxy/index.ts';
import {
  compileLink,
  deliveryTime,
  linkOf,
  parseFleetScenario,
  planCapacity,
  publishTimes,
  sliceIndices,
  TimerWheel,
  type RunSettings,
} from '../../src/fleet/index.ts';

const settings = (over: Partial<RunSettings> = {}, sc: Record<string, unknown> = {}): RunSettings => ({
  scenario: parseFleetScenario(
    {
      name: 'p',
      description: 'd',
      seed: 1,
      duration_ms: 10_000,
      devices: { count: 100, publish: { topic: 't/{id}', qos: 1, interval_ms: 1000 }, ...sc },
    },
    'inline',
  ),
  devices: 100,
  rate: 100,
  durationMs: 10_000,
  link: undefined,
  brokers: ['mqtt://127.0.0.1:1'],
  seed: 1,
  shard: { index: 0, count: 1 },
  worker: { index: 0, count: 1 },
  runId: 'r',
  drainMs: 1000,
  ...over,
});

describe('timer wheel', () => {
  it('fires entries in time order, at the earliest on the next tick, including ones past a revolution', () => {
    const fired: [number, number][] = [];
    const w = new TimerWheel((k, d) => fired.push([k, d]), 5, 8, 0);
    w.at(12, 1, 1);
    w.at(0, 2, 2); // in the past: next tick
    w.at(100, 3, 3); // 20 ticks: beyond one revolution of 8 slots
    w.at(12, 4, 4);
    expect(w.size).toBe(4);
    for (let now = 0; now <= 60; now += 5) w.advance(now);
    expect(fired).toEqual([
      [2, 2],
      [1, 1],
      [4, 4],
    ]);
    w.advance(100);
    expect(fired.map((f) => f[0])).toEqual([2, 1, 4, 3]);
    expect(w.size).toBe(0);
  });
});

describe('plan', () => {
  it('slices partition the fleet for any shard and worker split', () => {
    const all = (n: number, w: number) =>
      Array.from({ length: n }, (_, i) =>
        Array.from({ length: w }, (_, j) => sliceIndices(103, { index: i, count: n }, { index: j, count: w })),
      )
        .flat(2)
        .sort((a, b) => a - b);
    for (const [n, w] of [
      [1, 1],
      [2, 1],
      [3, 2],
      [5, 4],
    ])
      expect(all(n, w)).toEqual(Array.from({ length: 103 }, (_, i) => i));
  });

  it("publish schedules depend only on the seed and the device, with the behaviour's shape", () => {
    const s = settings();
    expect(publishTimes(s, 7, 'dev-8')).toEqual(publishTimes(settings({ shard: { index: 1, count: 2 } }), 7, 'dev-8'));
    const periodic = publishTimes(s, 7, 'dev-8');
    expect(periodic.length).toBeGreaterThanOrEqual(9);
    expect(periodic[1] - periodic[0]).toBeCloseTo(1000);
    const bursty = publishTimes(
      settings({}, { behaviour: 'bursty', publish: { topic: 't', qos: 1, interval_ms: 1000, burst: 4 } }),
      7,
      'dev-8',
    );
    expect(bursty.slice(0, 4).every((t) => t === bursty[0])).toBe(true);
    const poisson = publishTimes(settings({}, { behaviour: 'poisson' }), 7, 'dev-8');
    expect(new Set(poisson.slice(1).map((t, k) => Math.round(t - poisson[k]))).size).toBeGreaterThan(2);
    expect(publishTimes(settings({ seed: 2 }), 7, 'dev-8')).not.toEqual(periodic);
  });

  it('link mixes follow the shares, deterministically per device', () => {
    const s = settings({ link: { 'flaky-cellular': 0.2, lte: 0.8 } });
    const picks = Array.from({ length: 2000 }, (_, i) => linkOf(s, `dev-${i}`));
    const flaky = picks.filter((p) => p === 'flaky-cellular').length / picks.length;
    expect(flaky).toBeGreaterThan(0.17);
    expect(flaky).toBeLessThan(0.23);
    expect(linkOf(s, 'dev-5')).toBe(
      linkOf(settings({ link: { 'flaky-cellular': 0.2, lte: 0.8 }, shard: { index: 1, count: 3 } }), 'dev-5'),
    );
  });
});

describe('links', () => {
  it('compiles all seven link profiles for in-process emulation', () => {
    const names = listProfiles();
    expect(names).toHaveLength(7);
    for (const n of names) expect(compileLink(n).name).toBe(n);
    const f = compileLink('flaky-cellular');
    expect(f.flaky).toMatchObject({
      p_good_to_bad: 0.02,
      p_bad_to_good: 0.2,
      existing: 'stall',
      new_connections: 'blackhole',
    });
    expect(f.up.latency).toBe(40);
    expect(compileLink('tunnel').outage).toMatchObject({ up_ms: 20_000, down_ms: 60_000, cycles: 1 });
    expect(compileLink('satellite').down.rate).toBe(1250);
  });

  it('delivery keeps TCP order and adds serialisation at the rate', () => {
    const d = { latency: 40, jitter: 30, rate: 10 };
    const a = deliveryTime(d, 0, 0, 100, 1); // latency + jitter + 10 ms of serialisation
    expect(a).toBe(80);
    const b = deliveryTime(d, 1, a, 10, 0); // an early draw may not overtake
    expect(b).toBe(80);
  });
});

describe('capacity', () => {
  it('spreads devices over workers below the open-file limit, and says clearly when memory will not hold them', () => {
    const c = planCapacity(19_000, 2);
    if (typeof c === 'string') throw new Error(c);
    expect(c.workers).toBeGreaterThanOrEqual(1);
    if (c.fdLimit !== undefined && Number.isFinite(c.fdLimit)) expect(c.perWorker).toBeLessThan(c.fdLimit);
    expect(planCapacity(900_000_000, 2)).toMatch(/devices need about \d+ MB .* only \d+ MB are free/);
  });
});

describe('timeline', () => {
  it('fills every second, carrying the connected gauge over seconds without a sample', async () => {
    const { Timeline, mergeTimelines } = await import('../../src/fleet/engine/metrics.ts');
    const t = new Timeline();
    t.sample(10_000, 5, 1);
    t.at(12_500).pubs += 3; // a busy second without a gauge sample
    t.sample(13_100, 7, 0);
    const j = t.toJSON();
    expect(j.map((s) => [s.t, s.connected, s.pubs])).toEqual([
      [10, 5, 0],
      [11, 5, 0],
      [12, 5, 3],
      [13, 7, 0],
    ]);
    const m = mergeTimelines([j, j]);
    expect(m.map((s) => s.connected)).toEqual([10, 10, 10, 14]);
  });
});

describe('merged timeline', () => {
  it('a part that ends a second early keeps its last gauge sample', async () => {
    const { mergeTimelines } = await import('../../src/fleet/engine/metrics.ts');
    const s = (t: number, connected: number) => ({
      t,
      connected,
      faulty: 0,
      pubs: 1,
      acks: 0,
      recvs: 0,
      drops: 0,
      connects: 0,
      connectFailures: 0,
    });
    const m = mergeTimelines([
      [s(1, 5), s(2, 5)],
      [s(1, 7), s(2, 7), s(3, 7)],
    ]);
    expect(m.map((x) => [x.t, x.connected, x.pubs])).toEqual([
      [1, 12, 2],
      [2, 12, 2],
      [3, 12, 1],
    ]);
  });
});
