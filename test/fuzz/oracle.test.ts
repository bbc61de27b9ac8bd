import { describe, expect, it } from 'vitest';
import { encodePacket, hexToBuffer } from '../../src/codec/index.ts';
import {
  buildCase,
  expectationOf,
  gherkin,
  judge,
  PINGREQ,
  shrinkFrames,
  type Observation,
} from '../../src/fuzz/index.ts';

const connect4 = encodePacket(
  { type: 'connect', protocolName: 'MQTT', protocolLevel: 4, clean: true, keepAlive: 60, clientId: 'a' },
  4,
);
const connect5 = encodePacket(
  { type: 'connect', protocolName: 'MQTT', protocolLevel: 5, clean: true, keepAlive: 60, clientId: 'a' },
  5,
);
const obs = (o: Partial<Observation>): Observation => ({ packets: [], closed: false, timedOut: false, ...o });
const CONNACK = { type: 'connack', sessionPresent: false, reasonCode: 0 } as const;

describe('cases', () => {
  it('are deterministic per seed and index, and differ between seeds', () => {
    const a = buildCase(42, 7, 5);
    const b = buildCase(42, 7, 5);
    expect(Buffer.concat(a.frames).equals(Buffer.concat(b.frames))).toBe(true);
    expect(Buffer.concat(buildCase(43, 7, 5).frames).equals(Buffer.concat(a.frames))).toBe(false);
    expect(a.frames.at(-1)).toEqual(PINGREQ);
  });

  it('mostly break a rule (grammar and bytes families), across both versions', () => {
    let broken = 0,
      total = 0;
    const families = new Set<string>();
    for (let i = 0; i < 600; i++) {
      const c = buildCase(9, i, i % 2 === 0 ? 4 : 5);
      families.add(c.family);
      if (c.family === 'state') continue;
      total++;
      if (expectationOf(c.frames, c.level).kind !== 'valid') broken++;
    }
    expect(families).toEqual(new Set(['grammar', 'bytes', 'state']));
    expect(broken / total).toBeGreaterThan(0.6);
  });
});

describe('chained cases', () => {
  it('carry further cases on one connection only while everything before is valid', () => {
    let chains = 0;
    for (let i = 0; i < 400; i++) {
      const level = i % 2 === 0 ? 4 : 5;
      const c = buildCase(11, i, level, { maxChain: 8 });
      const one = buildCase(11, i, level);
      expect(Buffer.concat(c.frames).subarray(0, Buffer.concat(one.frames).length)).toEqual(Buffer.concat(one.frames));
      if (!c.chained) continue;
      chains++;
      expect(c.chained).toBeLessThanOrEqual(8);
      expect(c.mutations).toHaveLength(c.chained);
      // Every prefix that ends at an earlier case's probe is valid; the next case follows without a CONNECT.
      const e = expectationOf(c.frames, level);
      const probes = c.frames.flatMap((f, k) => (f === PINGREQ ? [k] : []));
      expect(probes.length).toBeGreaterThanOrEqual(c.chained);
      expect(expectationOf(c.frames.slice(0, probes[0] + 1), level).kind).toBe('valid');
      expect(c.frames.slice(1).filter((f) => f[0] === 0x10 && f.equals(c.frames[0]))).toEqual([]);
      expect(e.pings).toBeGreaterThanOrEqual(1);
    }
    expect(chains).toBeGreaterThan(10);
  });
});

describe('expectation', () => {
  it('names the first malformed frame and the statement it breaks', () => {
    const e = expectationOf([connect4, hexToBuffer('62 02 00 01'), hexToBuffer('30 03 00 01 23'), PINGREQ], 4);
    expect(e.kind).toBe('violation');
    expect(e.violationFrame).toBe(2);
    expect(e.answers).toEqual([expect.objectContaining({ type: 'pubcomp', packetId: 1 })]);
  });
  it('wrong-state rules: before CONNECT, a second CONNECT, a server-only packet', () => {
    expect(expectationOf([hexToBuffer('c0 00')], 4).statement?.id).toBe('MQTT-3.1.0-1');
    expect(expectationOf([connect5, connect5, PINGREQ], 5).statement?.id).toBe('MQTT-3.1.0-2');
    expect(expectationOf([connect4, hexToBuffer('d0 00'), PINGREQ], 4).statement?.id).toBe('MQTT-4.8.0-1');
  });
  it('a probe swallowed by an earlier packet is not judged', () => {
    expect(expectationOf([connect4, hexToBuffer('40 02'), PINGREQ], 4).kind).toBe('incomplete');
  });
});

describe('judge', () => {
  const bad311 = expectationOf([connect4, hexToBuffer('42 02 00 01'), PINGREQ], 4);
  it('a close after a violation is right; answering the probe is a finding at 3.1.1', () => {
    expect(judge(bad311, obs({ packets: [CONNACK], closed: true })).finding).toBeUndefined();
    const j = judge(bad311, obs({ packets: [CONNACK, { type: 'pingresp' }] }));
    expect(j.finding?.kind).toBe('wrong-answer');
    expect(j.finding?.statements.map((s) => s.id)).toContain('MQTT-4.8.0-1');
  });
  it('a finding cites each statement once, also when the broken rule is the closing rule (4.8.0-1)', () => {
    for (const bad of ['c0 01 00', 'e0 01 00']) {
      const e = expectationOf([connect4, hexToBuffer(bad), PINGREQ], 4);
      const ids = judge(e, obs({ packets: [CONNACK, { type: 'pingresp' }] })).finding?.statements.map((s) => s.id);
      expect(ids, bad).toContain('MQTT-4.8.0-1');
      expect(new Set(ids).size, `${bad}: ${ids?.join(', ')}`).toBe(ids?.length);
    }
  });
  it('at 5.0 an undetected client-side error is advisory (4.13.1), a server rule is a finding', () => {
    const e = expectationOf([connect5, hexToBuffer('30 04 00 01 23 78'), PINGREQ], 5);
    const j = judge(e, obs({ packets: [CONNACK, { type: 'pingresp' }] }));
    expect(j.finding).toBeUndefined();
    expect(j.advisory).toBeDefined();
    const second = expectationOf([connect5, connect5, PINGREQ], 5);
    expect(judge(second, obs({ packets: [CONNACK, { type: 'pingresp' }] })).finding?.kind).toBe('wrong-answer');
  });
  it('DISCONNECT before a successful CONNACK and invalid DISCONNECT codes are findings', () => {
    const e = expectationOf([connect5, connect5, PINGREQ], 5);
    expect(
      judge(e, obs({ packets: [{ type: 'disconnect', reasonCode: 0x82 }], closed: true })).finding?.statements[0].id,
    ).toBe('MQTT-3.14.0-1');
    expect(
      judge(e, obs({ packets: [CONNACK, { type: 'disconnect', reasonCode: 0x01 }], closed: true })).finding
        ?.statements[0].id,
    ).toBe('MQTT-3.14.2-1');
  });
  it('valid input: missing acknowledgements and a silent broker are findings', () => {
    const e = expectationOf([connect4, hexToBuffer('62 02 00 07'), PINGREQ], 4);
    expect(judge(e, obs({ packets: [CONNACK, { type: 'pubcomp', packetId: 7 }, { type: 'pingresp' }] })).outcome).toBe(
      'answered',
    );
    expect(judge(e, obs({ packets: [CONNACK, { type: 'pingresp' }] })).finding?.statements[0].id).toBe('MQTT-4.3.3-2');
    expect(judge(e, obs({ packets: [CONNACK], timedOut: true })).finding?.kind).toBe('hang');
  });
});

describe('shrink and render', () => {
  it('shrinks to the minimal failing frames', () => {
    const start = [
      connect4,
      hexToBuffer('30 05 00 01 61 ab cd'),
      hexToBuffer('c0 00'),
      hexToBuffer('a2 05 00 01 00 01 23'),
    ];
    const fails = (fs: Buffer[]): boolean => fs.some((f) => f.includes(0xab));
    const gen = shrinkFrames(start, 500);
    let step = gen.next(false);
    while (!step.done) step = gen.next(fails(step.value));
    expect(step.value.frames).toEqual([Buffer.from([0xab])]);
  });
  it('renders a scenario in the suite vocabulary with version and statement tags', () => {
    const e = expectationOf([connect5, connect5, PINGREQ], 5);
    const g = gherkin({
      kind: 'wrong-answer',
      level: 5,
      frames: [connect5, connect5],
      statements: [e.statement!, e.closeStatement],
      expectation: e,
      title: 't',
    });
    expect(g).toContain('@v5 @fuzz @MQTT-3.1.0-2 @MQTT-4.13.1-1');
    expect(g).toContain('Given client "A" opened a network connection with MQTT 5');
    expect(g).toContain('When "A" sends raw "10 ');
    expect(g).toContain(
      'Then the connection of "A" is closed within 2 s, with reason code 0x82 or 0x81 if the broker sends one',
    );
  });
});
