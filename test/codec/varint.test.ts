/**
 * The codec's one Variable Byte Integer reader (1.5.5), over hex fixtures: value and size, cut-off
 * input, a fifth byte, minimal encoding, and agreement with the encoder on every length boundary.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  bodyOffset,
  peekVarint,
  VARINT_INCOMPLETE,
  VARINT_TOO_LONG,
  varintBytes,
  varintIsMinimal,
  varintSize,
  varintValue,
} from '../../src/codec/index.ts';
import { formatRef, ref50 } from '../../src/spec/types.ts';

const hex = (h: string) => Buffer.from(h.replace(/ /g, ''), 'hex');

describe('peekVarint (MQTT 1.5.5 Variable Byte Integer)', () => {
  const complete: Array<[string, number, number]> = [
    ['00', 0, 1],
    ['7f', 127, 1],
    ['80 01', 128, 2],
    ['ff 7f', 16_383, 2],
    ['80 80 01', 16_384, 3],
    ['ff ff 7f', 2_097_151, 3],
    ['80 80 80 01', 2_097_152, 4],
    ['ff ff ff 7f', 268_435_455, 4],
  ];
  for (const [h, value, size] of complete) {
    it(`${h} is ${value} in ${size} byte(s)`, () => {
      const r = peekVarint(hex(h), 0);
      expect(r).toBeGreaterThanOrEqual(0);
      expect(varintValue(r)).toBe(value);
      expect(varintSize(r)).toBe(size);
      expect(varintIsMinimal(hex(h), 0, r)).toBe(true);
    });
  }

  it('reads at an offset and stops at `end`', () => {
    const b = hex('aa 80 01 bb');
    expect(varintValue(peekVarint(b, 1))).toBe(128);
    expect(peekVarint(b, 1, 2)).toBe(VARINT_INCOMPLETE);
    expect(peekVarint(hex(''), 0)).toBe(VARINT_INCOMPLETE);
    expect(peekVarint(hex('80 80 80'), 0)).toBe(VARINT_INCOMPLETE);
  });

  it('a fifth byte is too long', () => {
    expect(peekVarint(hex('80 80 80 80 01'), 0)).toBe(VARINT_TOO_LONG);
    expect(peekVarint(hex('ff ff ff ff'), 0)).toBe(VARINT_TOO_LONG);
  });

  it(`a longer encoding than needed is read, and flagged as not minimal (${formatRef(ref50('MQTT-1.5.5-1'))})`, () => {
    for (const h of ['80 00', '80 80 00', 'ff 80 00', '80 80 80 00']) {
      const r = peekVarint(hex(h), 0);
      expect(r, h).toBeGreaterThanOrEqual(0);
      expect(varintIsMinimal(hex(h), 0, r), h).toBe(false);
    }
  });

  it('agrees with the encoder on every value (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 268_435_455 }), (v) => {
        const b = varintBytes(v);
        const r = peekVarint(b, 0);
        return varintValue(r) === v && varintSize(r) === b.length && varintIsMinimal(b, 0, r);
      }),
      { numRuns: 2000 },
    );
  });

  it('bodyOffset skips the fixed header, or says -1', () => {
    expect(bodyOffset(hex('30 02 00 00'))).toBe(2);
    expect(bodyOffset(hex('30 80 01'))).toBe(3);
    expect(bodyOffset(hex('00 30 ff 7f'), 1)).toBe(4);
    expect(bodyOffset(hex('30 80'))).toBe(-1);
    expect(bodyOffset(hex('30 ff ff ff ff 01'))).toBe(-1);
  });
});
