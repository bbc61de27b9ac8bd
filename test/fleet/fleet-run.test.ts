import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startBroker } from '../../src/broker/start-broker.ts';
import { EXIT } from '../../src/common/index.ts';
import { parseFleetScenario, runFleetShard } from '../../src/fleet/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'fleet-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scenario = (over: Record<string, unknown> = {}) =>
  parseFleetScenario(
    {
      name: 'tiny',
      description: 'test',
      seed: 5,
      duration_ms: 1500,
      version: '3.1.1',
      link: { lte: 0.5, '3g': 0.5 },
      devices: {
        count: 40,
        ramp_per_s: 400,
        keep_alive_s: 5,
        publish: { topic: 'f/{id}/t', qos: 1, interval_ms: 200 },
        will: { topic: 'f/{id}/status', qos: 1 },
      },
      subscribers: [
        { id: 'dash', filter: 'f/+/t', qos: 1, persistent: true },
        { id: 'mon', filter: 'f/+/status', qos: 1 },
      ],
      events: [{ type: 'death', at_ms: 800, share: 0.25 }],
      checks: ['qos1-at-least-once', 'ordered-topics', 'session-resume', 'last-will'],
      thresholds: ['p99<5s', 'errors==0'],
      ...over,
    },
    'inline',
  );

describe('fleet run (lean devices, in process)', () => {
  it('runs a small mixed-link fleet: every guarantee decided, thresholds judged, fleet.html written', async () => {
    const b = await startBroker({ host: '127.0.0.1', port: 0 });
    try {
      const s = scenario({
        link: { lte: 0.5, '3g': 0.5 },
        events: [{ type: 'outage', at_ms: 500, for_ms: 400, share: 0.3 }],
        thresholds: ['p99<5s', 'drops>0'],
      });
      const out = join(dir, 'ok');
      const { result: r } = await runFleetShard({
        scenario: s,
        brokers: [b.url],
        out,
        print: () => {},
        drainMs: 15_000,
      });
      expect(r.devices).toBe(40);
      expect(r.counts.published).toBeGreaterThan(100);
      expect(r.counts.acknowledged + r.counts.pubUnknown + r.counts.pubFailed).toBe(r.counts.published);
      expect(r.results.map((x) => [x.checker, x.verdict])).toEqual([
        ['qos1-at-least-once', 'holds'],
        ['ordered-topics', 'holds'],
        ['session-resume', 'holds'],
        ['last-will', 'holds'],
      ]);
      expect(r.counts.drops).toBeGreaterThan(0); // the outage reset a share of the links
      expect(r.latency.e2e!.p50).toBeGreaterThan(20); // lte and 3g both add latency each way
      expect(r.thresholds.map((t) => t.ok)).toEqual([true, true]);
      expect(r.exitCode).toBe(EXIT.ok);
      expect(r.summary).toMatch(/^all guarantees hold, every item decided/);
      const html = readFileSync(join(out, 'fleet.html'), 'utf8');
      expect(html).toMatch(/<svg/);
      expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
      expect(existsSync(join(out, 'history.jsonl'))).toBe(true);
      expect(JSON.parse(readFileSync(join(out, 'fleet.json'), 'utf8')).exitCode).toBe(0);
    } finally {
      await b.close();
    }
  });

  it('mass death: the wills of the dead are decided; messages in flight at death are undecided, and the run says so', async () => {
    const b = await startBroker({ host: '127.0.0.1', port: 0 });
    try {
      const s = scenario({ link: undefined, events: [{ type: 'death', at_ms: 700, share: 0.25 }], thresholds: [] });
      const { result: r } = await runFleetShard({
        scenario: s,
        brokers: [b.url],
        out: join(dir, 'death'),
        print: () => {},
        drainMs: 15_000,
      });
      const will = r.results.find((x) => x.checker === 'last-will')!;
      expect(will.verdict).toBe('holds');
      expect(will.checked).toBeGreaterThanOrEqual(5);
      const q = r.results.find((x) => x.checker === 'qos1-at-least-once')!;
      // A message in flight at death has an unknown outcome: undecided unless its receipt shows it arrived.
      expect(q.unknown).toBeLessThanOrEqual(r.counts.pubUnknown);
      if (q.unknown > 0) {
        expect(q.verdict).toBe('undecided');
        expect(r.summary).toMatch(/^inconclusive: no violation found/);
        expect(r.exitCode).toBe(EXIT.inconclusive);
      } else {
        expect(q.verdict).toBe('holds');
        expect(r.exitCode).toBe(EXIT.ok);
      }
    } finally {
      await b.close();
    }
  });

  it('a broker that dies mid-run is reported as such and the run is inconclusive (exit 3), not failed', async () => {
    const b = await startBroker({ host: '127.0.0.1', port: 0 });
    const s = scenario({
      link: undefined,
      events: [],
      thresholds: [],
      devices: { count: 10, ramp_per_s: 1000, publish: { topic: 'f/{id}/t', qos: 1, interval_ms: 100 } },
      checks: ['qos1-at-least-once'],
    });
    setTimeout(() => void b.close(), 800);
    const { result: r } = await runFleetShard({
      scenario: s,
      brokers: [b.url],
      out: join(dir, 'dies'),
      print: () => {},
      drainMs: 2000,
    });
    expect(r.brokersDown).toEqual([b.url]);
    expect(r.summary).toMatch(
      new RegExp(`^inconclusive: the broker at ${b.url.replace(/\./g, '\\.')} stopped answering during the run`),
    );
    expect(r.exitCode).toBe(EXIT.inconclusive);
    expect(r.results[0].verdict).not.toBe('violated');
  });

  it('negative control: a broker that delivers QoS 2 messages twice is caught (qos2-exactly-once), exit 1', async () => {
    const b = await startBroker({ host: '127.0.0.1', port: 0, misbehave: { duplicateQos2: true } });
    try {
      const s = scenario({
        version: '5.0',
        link: undefined,
        events: [],
        thresholds: [],
        checks: ['qos2-exactly-once'],
        devices: { count: 10, ramp_per_s: 1000, publish: { topic: 'f/{id}/t', qos: 2, interval_ms: 200 } },
        subscribers: [{ id: 'dash', filter: 'f/+/t', qos: 2, persistent: true }],
      });
      const { result: r } = await runFleetShard({
        scenario: s,
        brokers: [b.url],
        out: join(dir, 'dup'),
        print: () => {},
        drainMs: 10_000,
      });
      expect(r.results[0].verdict).toBe('violated');
      expect(r.results[0].summary).toMatch(/delivered 2 times/);
      expect(r.exitCode).toBe(EXIT.violations);
    } finally {
      await b.close();
    }
  });

  it('negative control: a broker that loses QoS 1 messages is caught, with a witness, exit 1', async () => {
    const b = await startBroker({ host: '127.0.0.1', port: 0, misbehave: { loseQos1EveryNth: 7 } });
    try {
      const s = scenario({
        link: undefined,
        events: [],
        devices: { count: 20, ramp_per_s: 1000, publish: { topic: 'f/{id}/t', qos: 1, interval_ms: 100 } },
        checks: ['qos1-at-least-once'],
        thresholds: [],
      });
      const { result: r } = await runFleetShard({
        scenario: s,
        brokers: [b.url],
        out: join(dir, 'bad'),
        print: () => {},
        drainMs: 10_000,
      });
      const q = r.results[0];
      expect(q.verdict).toBe('violated');
      expect(q.witness!.length).toBeGreaterThan(0);
      expect(r.exitCode).toBe(EXIT.violations);
      expect(r.summary).toMatch(/GUARANTEE VIOLATED: qos1-at-least-once \(replay with --seed 5\)/);
    } finally {
      await b.close();
    }
  });
});
