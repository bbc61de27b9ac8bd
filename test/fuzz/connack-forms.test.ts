/**
 * A CONNECT whose version the broker cannot know (truncated before its level, an unknown protocol
 * name, an unsupported level): the oracle allows a close, CONNACK 0x01 in 3.1.1 form (3.1.1
 * MQTT-3.1.2-2) or CONNACK 0x84 in 5.0 form (5.0 MQTT-3.1.2-1/-2), each then the close, and
 * nothing else. The reference broker is replayed on each kind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hexToBuffer } from '../../src/codec/index.ts';
import { silentLogger, startBroker, type RunningBroker } from '../../src/broker/index.ts';
import {
  expectationOf,
  judge,
  PINGREQ,
  runFrames,
  unknownLevelAnswer,
  type Observation,
} from '../../src/fuzz/index.ts';

/** CONNECTs whose version cannot be known. */
const UNKNOWN = {
  'truncated before the level': '10 05 00 04 4d 51 54',
  'protocol name missing': '10 00',
  'unknown protocol name': '10 0f 00 04 4d 51 58 58 04 02 00 3c 00 03 61 62 63',
  'unsupported level 6': '10 0f 00 04 4d 51 54 54 06 02 00 3c 00 03 61 62 63',
  'level 0x84 (a bridge bit)': '10 0f 00 04 4d 51 54 54 84 02 00 3c 00 03 61 62 63',
  // mosquitto fuzz run, seed 2026: reserved fixed-header flags AND level 0x4e; mosquitto's
  // `20 02 00 01` is allowed although the flags are what the strict reader reports first.
  // 50k slice, seed 20261207: the reference broker answered CONNACK 0x81 in 5.0 form (fixed).
  'protocol name not UTF-8, level 5': '10 0f 00 04 4d 51 80 00 05 02 00 3c 00 03 61 62 63',
  'reserved flags and level 0x4e': '11 0f 00 04 4d 51 54 54 4e 02 00 3c 00 03 61 62 63',
};
const frames = (hex: string): Buffer[] => [hexToBuffer(hex), PINGREQ];
const raw = (hex: string): Observation => ({
  packets: [],
  raw: hex === '' ? Buffer.alloc(0) : hexToBuffer(hex),
  closed: true,
  timedOut: false,
});

describe('oracle', () => {
  it('marks a CONNECT of unknown version, and not one whose level it can read', () => {
    for (const [name, hex] of Object.entries(UNKNOWN))
      expect(expectationOf(frames(hex), 4), name).toMatchObject({ kind: 'violation', levelUnknown: true });
    // Level 4, reserved Connect Flags bit set; reserved fixed-header flags at level 5: known version.
    for (const [hex, level] of [
      ['10 0f 00 04 4d 51 54 54 04 03 00 3c 00 03 61 62 63', 4],
      ['11 10 00 04 4d 51 54 54 05 02 00 3c 00 00 03 61 62 63', 5],
    ] as const) {
      const known = expectationOf(frames(hex), level);
      expect(known.kind).toBe('violation');
      expect(known.levelUnknown, hex).toBeUndefined();
    }
  });

  it('allows a close, CONNACK 0x01 in 3.1.1 form and CONNACK 0x84 in 5.0 form (with properties too)', () => {
    const e = expectationOf(frames(UNKNOWN['unsupported level 6']), 4);
    for (const ok of ['', '20 02 00 01', '20 03 00 84 00', '20 0a 00 84 07 1f 00 04 6e 6f 70 65'])
      expect(judge(e, raw(ok)), ok).toEqual({ outcome: ok === '' ? 'closed' : 'refused' });
    expect(unknownLevelAnswer(hexToBuffer('20 03 00 84 00')).what).toBe('CONNACK 0x84 in 5.0 form');
  });

  it('and no more: other codes, the other form, session present, anything after the CONNACK', () => {
    const e = expectationOf(frames(UNKNOWN['truncated before the level']), 5);
    for (const bad of [
      '20 03 00 81 00', // 5.0 form, Malformed Packet: the broker cannot know the client reads 5.0
      '20 02 00 84', // 0x84 in 3.1.1 form
      '20 03 00 01 00', // 0x01 in 5.0 form
      '20 02 00 00', // accepted
      '20 02 01 01', // session present with a refusal
      '20 02 00 01 d0 00', // then answered the PINGREQ
      '20 02 00 05', // not authorized: still not the version answer
      'e0 00', // a DISCONNECT
    ]) {
      const j = judge(e, raw(bad));
      expect(j.outcome, bad).toBe('finding');
      expect(j.finding?.expected, bad).toMatch(/CONNACK 0x01 in 3.1.1 form or CONNACK 0x84 in 5.0 form/);
      expect(j.finding?.statements.map((s) => s.id)).toContain('MQTT-3.1.2-2');
    }
  });

  it('an allowed CONNACK without the close is not enough', () => {
    const e = expectationOf(frames(UNKNOWN['unsupported level 6']), 4);
    const j = judge(e, { ...raw('20 02 00 01'), closed: false, timedOut: true });
    expect(j.outcome).toBe('finding');
    expect(j.finding?.observed).toMatch(/CONNACK 0x01 in 3.1.1 form, then neither closed/);
  });
});

describe('the reference broker', () => {
  let b: RunningBroker;
  beforeAll(async () => {
    b = await startBroker({ port: 0, logger: silentLogger });
  });
  afterAll(async () => {
    await b.close();
  });

  it.each(Object.entries(UNKNOWN))('%s: an allowed answer, then the close', async (_name, hex) => {
    for (const level of [4, 5] as const) {
      const r = await runFrames({ host: '127.0.0.1', port: b.port }, frames(hex), level, 3000);
      expect(r.expectation.levelUnknown).toBe(true);
      expect(r.judgement.finding, `${level}: ${r.observation.raw?.toString('hex')}`).toBeUndefined();
      expect(r.observation.closed).toBe(true);
    }
  });
});
