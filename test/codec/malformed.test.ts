import { describe, expect, it } from 'vitest';
import { decodePacket, PacketReader } from '../../src/codec/index.ts';
import { IDS_3_1_1 } from '../../src/spec/ids-3-1-1.ts';
import { IDS_5_0 } from '../../src/spec/ids-5-0.ts';
import { malformed311 } from './fixtures/malformed-311.ts';
import { malformed50 } from './fixtures/malformed-50.ts';
import type { MalformedFixture } from './fixtures/types.ts';
import { hex } from './helpers.ts';

/**
 * Negative fixtures: bytes a strict decoder must reject, each with the normative statement
 * the violation must cite. decodePacket and PacketReader must agree.
 */
const ids311 = new Set<string>(IDS_3_1_1);
const ids50 = new Set<string>(IDS_5_0);

function check(f: MalformedFixture): void {
  const from = f.from ?? 'client';
  const version = f.level === 5 ? '5.0' : '3.1.1';
  describe(`${f.name} [level ${f.level}]`, () => {
    it(`decodePacket rejects it citing ${f.id}`, () => {
      expect((f.level === 5 ? ids50 : ids311).has(f.id), `${f.id} is not a ${version} statement`).toBe(true);
      const r = decodePacket(hex(f.hex), { protocolLevel: f.level, from });
      if (r.ok) expect.fail(`accepted as ${JSON.stringify(r.packet)}`);
      expect(r.violation.kind).toBe('protocol-violation');
      expect(r.violation.statement.id).toBe(f.id);
      if (!f.anyVersion) expect(r.violation.statement.version).toBe(version);
      expect(r.violation.message.length).toBeGreaterThan(0);
      expect(r.violation.reasonCode).toBeGreaterThanOrEqual(0x80);
    });
    it('PacketReader reports the same violation', () => {
      const reader = new PacketReader({ protocolLevel: f.level, from });
      const results = reader.push(hex(f.hex));
      const bad = results.find((x) => !x.ok);
      if (!bad || bad.ok) expect.fail(`no violation; results: ${JSON.stringify(results)}`);
      expect(bad.violation.statement.id).toBe(f.id);
    });
  });
}

describe('malformed packets, MQTT 3.1.1', () => {
  for (const f of malformed311) check(f);
});

describe('malformed packets, MQTT 5.0', () => {
  for (const f of malformed50) check(f);
});

describe('BOM (EF BB BF) is a character: kept, not stripped (MQTT-1.5.3-3 / MQTT-1.5.4-3)', () => {
  for (const level of [4, 5] as const) {
    it(`PUBLISH topic starting with a BOM at level ${level}`, () => {
      const props = level === 5 ? '00' : '';
      const len = level === 5 ? '07' : '06';
      const r = decodePacket(hex(`30 ${len} 00 03 ef bb bf ${props} 78`), { protocolLevel: level, from: 'client' });
      if (!r.ok) expect.fail(r.violation.message);
      if (r.packet.type !== 'publish') expect.fail(`decoded as ${r.packet.type}`);
      expect(r.packet.topic).toBe('\ufeff');
      expect(r.packet.payload).toEqual(Buffer.from('x'));
    });
    it(`CONNECT client id "\\uFEFFid" at level ${level}`, () => {
      const body =
        level === 5
          ? '00 04 4d 51 54 54 05 02 00 3c 00 00 05 ef bb bf 69 64'
          : '00 04 4d 51 54 54 04 02 00 3c 00 05 ef bb bf 69 64';
      const frame = Buffer.concat([Buffer.from([0x10, hex(body).length]), hex(body)]);
      const r = decodePacket(frame, { protocolLevel: level, from: 'client' });
      if (!r.ok) expect.fail(r.violation.message);
      if (r.packet.type !== 'connect') expect.fail(`decoded as ${r.packet.type}`);
      expect(r.packet.clientId).toBe('\ufeffid');
      expect(Buffer.from(r.packet.clientId, 'utf8')).toEqual(hex('ef bb bf 69 64'));
    });
  }
});

describe('decoder never throws on the negative fixtures cut short', () => {
  it('every prefix of every negative fixture gives a typed result', () => {
    for (const f of [...malformed311, ...malformed50]) {
      const bytes = hex(f.hex);
      for (let n = 0; n <= bytes.length; n++) {
        const r = decodePacket(bytes.subarray(0, n), { protocolLevel: f.level, from: f.from ?? 'client' });
        expect(typeof r.ok).toBe('boolean');
      }
    }
  });
});
