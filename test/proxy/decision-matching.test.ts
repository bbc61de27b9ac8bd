/** The proxy's packet decisions: MQTT framing, topic filters, and which packets a toxic's match attributes pick. */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.ts';
import { encodePacket } from '../../src/codec/index.ts';
import {
  MqttFramer,
  PacketMatcher,
  matchSchema,
  peekPacket,
  topicFilterMatches,
  type Unit,
} from '../../src/proxy/index.ts';
import { pub, puback } from './frames.ts';

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
