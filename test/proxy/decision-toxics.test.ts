/** Toxics driven without sockets on a ManualScheduler: MQTT and byte toxics, outage and Gilbert–Elliott schedules, validation. */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.ts';
import { encodePacket } from '../../src/codec/index.ts';
import {
  ManualScheduler,
  corruptFrame,
  geBadFraction,
  geTrace,
  normalizeToxic,
  outageStateAt,
  peekPacket,
  toxicTypes,
  type Unit,
} from '../../src/proxy/index.ts';
import type { ProxyControl, StageEnv, StageToxicDef, ProxyToxicDef } from '../../src/proxy/toxics/toxic.ts';
import { pub, puback } from './frames.ts';

/** Drives one stage toxic without sockets, on a ManualScheduler. */
function harness(type: string, attributes: Record<string, unknown>, seed = 1) {
  const { def, attrs, spec } = normalizeToxic({ type, attributes });
  const sched = new ManualScheduler(0);
  const out: Array<{ t: number; u: Unit }> = [];
  const faults: string[] = [];
  const env: StageEnv = {
    link: { id: 1, clientId: 'A', terminate: (how) => faults.push(`terminate:${how}`) },
    stream: spec.stream,
    toxic: spec.name,
    rng: createRng(seed),
    sched,
    next: (u) => out.push({ t: sched.now(), u }),
    end: () => faults.push('end'),
    fault: (a, u) => faults.push(`${a}:${u?.packet?.type ?? ''}:${u?.packet?.packetId ?? ''}`),
    discard: () => {},
    shared: {},
    addedAt: 0,
  };
  const stage = (def as StageToxicDef<unknown>).create(attrs, env);
  const push = (b: Buffer) => stage.push({ bytes: b, packet: peekPacket(b) });
  return { sched, out, faults, stage, push };
}

describe('MQTT toxics on a ManualScheduler', () => {
  it('mqtt_delay holds back the packets behind a delayed one (order kept)', () => {
    const h = harness('mqtt_delay', { packet_type: 'pubrel', delay_ms: 2000 });
    h.push(puback(1));
    h.push(encodePacket({ type: 'pubrel', packetId: 2 }, 4));
    h.push(puback(3));
    expect(h.out.map((o) => o.u.packet?.packetId)).toEqual([1]);
    h.sched.advance(1999);
    expect(h.out).toHaveLength(1);
    h.sched.advance(1);
    expect(h.out.map((o) => [o.t, o.u.packet?.packetId])).toEqual([
      [0, 1],
      [2000, 2],
      [2000, 3],
    ]);
    expect(h.faults).toEqual(['delay:pubrel:2']);
  });

  it('mqtt_delay with reorder lets later packets overtake', () => {
    const h = harness('mqtt_delay', { packet_type: 'pubrel', delay_ms: 100, reorder: true });
    h.push(encodePacket({ type: 'pubrel', packetId: 2 }, 4));
    h.push(puback(3));
    h.sched.advance(100);
    expect(h.out.map((o) => o.u.packet?.packetId)).toEqual([3, 2]);
  });

  it('same seed gives the same fault sequence (probabilistic drop with jittered delay)', () => {
    const run = (seed: number) => {
      const h = harness('mqtt_delay', { probability: 0.5, delay_ms: 100, jitter_ms: 50 }, seed);
      for (let i = 1; i <= 50; i++) h.push(puback(i));
      h.sched.advance(10_000);
      return h.out.map((o) => `${o.t}:${o.u.packet?.packetId}`);
    };
    expect(run(9)).toEqual(run(9));
    expect(run(9)).not.toEqual(run(10));
  });

  it('mqtt_duplicate and mqtt_corrupt', () => {
    const d = harness('mqtt_duplicate', { packet_type: 'publish', copies: 2, set_dup: true });
    d.push(pub('t', 5));
    expect(d.out.map((o) => o.u.bytes[0])).toEqual([0x32, 0x3a, 0x3a]);
    const frame = puback(7);
    const c = corruptFrame(frame, 'bitflip', 0.5);
    expect(c.length).toBe(frame.length);
    expect(c.equals(frame)).toBe(false);
    expect(c.subarray(0, 2).equals(frame.subarray(0, 2))).toBe(true); // fixed header untouched
    expect(corruptFrame(frame, 'reserved_type', 0)[0] >> 4).toBe(0);
  });
});

describe('byte toxics on a ManualScheduler', () => {
  it('slicer cuts a unit into pieces of average_size ± size_variation, delay µs apart, in order', () => {
    const h = harness('slicer', { average_size: 4, size_variation: 2, delay: 5000 });
    const data = Buffer.from('abcdefghijklmnopqrstuvwxyz');
    h.stage.push({ bytes: data });
    h.sched.advance(1000);
    expect(Buffer.concat(h.out.map((o) => o.u.bytes)).toString()).toBe(data.toString());
    for (const o of h.out.slice(0, -1)) {
      expect(o.u.bytes.length).toBeGreaterThanOrEqual(2);
      expect(o.u.bytes.length).toBeLessThanOrEqual(6);
    }
    expect(h.out.map((o) => o.t)).toEqual(h.out.map((_, i) => i * 5));
  });

  it('latency with jitter keeps order and stays within latency ± jitter', () => {
    const h = harness('latency', { latency: 100, jitter: 50 });
    for (let i = 0; i < 20; i++) {
      h.stage.push({ bytes: Buffer.from([i]) });
      h.sched.advance(10);
    }
    h.sched.advance(1000);
    expect(h.out.map((o) => o.u.bytes[0])).toEqual([...Array(20).keys()]);
    h.out.forEach((o, i) => expect(o.t - i * 10).toBeLessThanOrEqual(150));
  });

  it('bandwidth releases bytes at the configured rate', () => {
    const h = harness('bandwidth', { rate: 1 }); // 1 KB/s = 1 byte/ms
    h.stage.push({ bytes: Buffer.alloc(100) });
    h.stage.push({ bytes: Buffer.alloc(50) });
    h.sched.advance(1000);
    expect(h.out.map((o) => o.t)).toEqual([100, 150]);
  });
});

describe('outage schedule and Gilbert–Elliott', () => {
  it('outageStateAt follows up/down phases and stops after `cycles`', () => {
    const s = { up_ms: 100, down_ms: 50, start: 'up' as const, cycles: 2 };
    expect([0, 99, 100, 149, 150, 250, 299, 300, 1000].map((t) => outageStateAt(s, t).down)).toEqual([
      false,
      false,
      true,
      true,
      false,
      true,
      true,
      false,
      false,
    ]);
    expect(outageStateAt(s, 120).nextChangeIn).toBe(30);
    expect(outageStateAt(s, 300).nextChangeIn).toBe(Infinity);
  });

  it('geTrace is reproducible from the seed and spends about p_gb/(p_gb+p_bg) in bad', () => {
    const p = { p_good_to_bad: 0.05, p_bad_to_good: 0.3 };
    const a = geTrace('good', p, createRng(5), 20_000);
    expect(a).toEqual(geTrace('good', p, createRng(5), 20_000));
    const bad = a.filter((s) => s === 'bad').length / a.length;
    expect(Math.abs(bad - geBadFraction(p))).toBeLessThan(0.03);
  });

  it('flaky toxic: same seed → same outage events on a ManualScheduler', () => {
    const run = (seed: number) => {
      const sched = new ManualScheduler(0);
      const ev: string[] = [];
      const ctl: ProxyControl = {
        sched,
        rng: createRng(seed),
        toxic: 'f',
        setAdmission: (a) => ev.push(`adm:${a}`),
        cutLinks: (h) => ev.push(`cut:${h}`),
        stallLinks: (on) => ev.push(`stall:${on}`),
        fault: (a) => ev.push(`${sched.now()}:${a}`),
      };
      const def = toxicTypes.get('flaky') as ProxyToxicDef<unknown>;
      const { attrs } = normalizeToxic({
        type: 'flaky',
        attributes: { step_ms: 100, p_good_to_bad: 0.2, p_bad_to_good: 0.4 },
      });
      const t = def.create(attrs, ctl);
      sched.advance(10_000);
      t.dispose();
      return ev;
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
    expect(run(3)).toContain('stall:true');
  });
});

describe('toxic validation', () => {
  it('names the bad field', () => {
    expect(() => normalizeToxic({ type: 'latency', attributes: { latency: 'soon' } })).toThrow(
      /toxic\.attributes\.latency: expected a duration/,
    );
    expect(() => normalizeToxic({ type: 'nope' })).toThrow(/toxic\.type: unknown toxic type "nope"/);
    expect(() => normalizeToxic({ type: 'mqtt_drop', attributes: { packet_type: 'pubak' } })).toThrow(
      /attributes\.packet_type/,
    );
    expect(() => normalizeToxic({ type: 'latency', toxicity: 2 })).toThrow(/toxicity/);
    expect(normalizeToxic({ type: 'latency' }).spec).toEqual({
      name: 'latency_downstream',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: {},
    });
  });
});
