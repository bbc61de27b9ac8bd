import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.ts';
import { encodePacket } from '../../src/codec/index.ts';
import {
  ManualScheduler,
  MqttFramer,
  PacketMatcher,
  corruptFrame,
  geBadFraction,
  geTrace,
  matchSchema,
  normalizeToxic,
  outageStateAt,
  peekPacket,
  topicFilterMatches,
  toxicTypes,
  type Unit,
} from '../../src/proxy/index.ts';
import type { ProxyControl, StageEnv, StageToxicDef, ProxyToxicDef } from '../../src/proxy/toxics/toxic.ts';

const pub = (topic: string, packetId?: number) =>
  encodePacket(
    {
      type: 'publish',
      topic,
      payload: Buffer.from('p'),
      qos: packetId === undefined ? 0 : 1,
      retain: false,
      dup: false,
      ...(packetId !== undefined ? { packetId } : {}),
    },
    4,
  );
const puback = (packetId: number) => encodePacket({ type: 'puback', packetId }, 4);

describe('MqttFramer', () => {
  const frames = [
    encodePacket(
      {
        type: 'connect',
        protocolName: 'MQTT',
        protocolLevel: 5,
        clean: true,
        keepAlive: 30,
        clientId: 'dev-1',
        properties: { sessionExpiryInterval: 10 },
      },
      5,
    ),
    pub('a/b', 3),
    puback(3),
    encodePacket({ type: 'pingreq' }, 4),
    pub('x'.repeat(300)),
  ];
  const stream = Buffer.concat(frames);

  it('splits packets whatever the chunking, zero-copy inside a chunk', () => {
    for (const size of [1, 2, 3, 7, 64, stream.length]) {
      const f = new MqttFramer();
      const out: Unit[] = [];
      for (let i = 0; i < stream.length; i += size)
        expect(f.split(stream.subarray(i, i + size), (u) => out.push(u))).toBe(true);
      expect(out.map((u) => u.bytes.toString('hex'))).toEqual(frames.map((b) => b.toString('hex')));
      expect(out[0].packet).toMatchObject({ type: 'connect', clientId: 'dev-1', protocolLevel: 5 });
      expect(out[1].packet).toMatchObject({ type: 'publish', topic: 'a/b', packetId: 3, qos: 1 });
      expect(out[2].packet).toMatchObject({ type: 'puback', packetId: 3 });
    }
  });

  it('switches from scan to split mid-packet, passing the rest of that packet raw', () => {
    const f = new MqttFramer();
    const seen: number[] = [];
    f.scan(stream.subarray(0, frames[0].length + 4), (b) => seen.push(b >> 4));
    expect(seen).toEqual([1, 3]);
    const out: Unit[] = [];
    f.split(stream.subarray(frames[0].length + 4), (u) => out.push(u));
    expect(out[0].packet).toBeUndefined();
    expect(out[0].bytes.length).toBe(frames[1].length - 4);
    expect(out.slice(1).map((u) => u.packet?.type)).toEqual(['puback', 'pingreq', 'publish']);
  });

  it('switches from split back to scan once the pending packet is complete', () => {
    const f = new MqttFramer();
    const out: Unit[] = [];
    f.split(stream.subarray(0, frames[0].length + 3), (u) => out.push(u));
    expect(f.splitPending()).toBe(true);
    f.split(stream.subarray(frames[0].length + 3, frames[0].length + frames[1].length + 1), (u) => out.push(u));
    expect(f.splitPending()).toBe(true); // one byte of the PUBACK
    f.split(
      stream.subarray(frames[0].length + frames[1].length + 1, frames[0].length + frames[1].length + frames[2].length),
      (u) => out.push(u),
    );
    expect(f.splitPending()).toBe(false);
    expect(out.map((u) => u.packet?.type)).toEqual(['connect', 'publish', 'puback']);
    const seen: number[] = [];
    f.scan(stream.subarray(frames[0].length + frames[1].length + frames[2].length), (b) => seen.push(b >> 4));
    expect(seen).toEqual([12, 3]);
  });

  it('reports a Remaining Length longer than 4 bytes', () => {
    const f = new MqttFramer();
    expect(f.split(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]), () => {})).toBe(false);
    expect(f.failed?.message).toMatch(/Remaining Length/);
    const g = new MqttFramer();
    expect(g.scan(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]), () => {})).toBe(-1);
  });

  it('peeks without throwing on truncated frames', () => {
    expect(peekPacket(Buffer.from([0x30, 0x05, 0x00]))).toEqual({ typeNum: 3, type: 'publish', qos: 0 });
  });
});

describe('topic filters', () => {
  it('matches MQTT wildcards', () => {
    expect(topicFilterMatches('a/+/c', 'a/b/c')).toBe(true);
    expect(topicFilterMatches('a/#', 'a')).toBe(true);
    expect(topicFilterMatches('a/+', 'a/b/c')).toBe(false);
    expect(topicFilterMatches('#', '$SYS/x')).toBe(false);
    expect(topicFilterMatches('+/x', 'a/y')).toBe(false);
  });
});

describe('PacketMatcher', () => {
  const ctx = (now: number, clientId = 'A') => ({ now, clientId, linkId: 1 });
  const info = (b: Buffer) => peekPacket(b);

  it('nth: only the Nth matching packet; every: each Nth; filters by type, topic and client', () => {
    const m = new PacketMatcher(matchSchema.parse({ packet_type: 'PUBACK', nth: 2, client_id: 'A' }), 0);
    const rng = createRng(1);
    const hits = [1, 2, 3, 4].map((id) => m.test(info(puback(id)), ctx(0), rng));
    expect(hits).toEqual([false, true, false, false]);
    expect(m.test(info(puback(9)), ctx(0, 'B'), rng)).toBe(false);
    const e = new PacketMatcher(matchSchema.parse({ topic: 's/+', every: 2 }), 0);
    const seq = ['s/1', 'x/1', 's/2', 's/3', 's/4'].map((t) => e.test(info(pub(t)), ctx(0), rng));
    expect(seq).toEqual([false, false, true, false, true]);
  });

  it('time window: from_ms / for_ms relative to when the toxic was added', () => {
    const m = new PacketMatcher(matchSchema.parse({ packet_type: 'puback', from_ms: '1s', for_ms: '10s' }), 5000);
    const rng = createRng(1);
    expect([5500, 6000, 15999, 16000].map((t) => m.test(info(puback(1)), ctx(t), rng))).toEqual([
      false,
      true,
      true,
      false,
    ]);
    expect(m.expired(16000)).toBe(true);
    const alias = new PacketMatcher(matchSchema.parse({ packet_type: 'puback', for: '10s' }), 0);
    expect([9999, 10000].map((t) => alias.test(info(puback(1)), ctx(t), rng))).toEqual([true, false]);
  });

  it('probability: same seed, same decisions; the rate is about right', () => {
    const run = (seed: number) => {
      const m = new PacketMatcher(matchSchema.parse({ probability: 0.3 }), 0);
      const rng = createRng(seed);
      return Array.from({ length: 2000 }, (_, i) => m.test(info(puback((i % 65535) + 1)), ctx(0), rng));
    };
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
    const rate = run(42).filter(Boolean).length / 2000;
    expect(rate).toBeGreaterThan(0.25);
    expect(rate).toBeLessThan(0.35);
  });
});

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
