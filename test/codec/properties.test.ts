import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePacket, encodedLength, encodePacket, PacketReader } from '../../src/codec/index.ts';
import type { DecodeResult } from '../../src/codec/index.ts';
import { IDS_3_1_1 } from '../../src/spec/ids-3-1-1.ts';
import { IDS_5_0 } from '../../src/spec/ids-5-0.ts';
import { sentPacketArb, sentPacketArbs, streamArb } from '../support/arbitraries.ts';

/**
 * Property-based tests of the codec. fast-check prints the seed and the counterexample path on
 * failure; rerun a failure with FC_SEED=<seed>. Run counts are bounded so the file stays fast.
 */
const seed = Number(process.env.FC_SEED ?? 0x6d717474);
const RUNS = { perType: 150, stream: 200, bytes: 1000, mutation: 1500 } as const;
const params = (numRuns: number): fc.Parameters<unknown> => ({ seed, numRuns, endOnFailure: true });

const known = { '3.1.1': new Set<string>(IDS_3_1_1), '5.0': new Set<string>(IDS_5_0) };

/**
 * Every result is typed; every violation cites a real statement and is not a caught exception.
 * Plain checks rather than expect(): this runs tens of thousands of times.
 */
function expectTyped(r: DecodeResult): void {
  const fail = (why: string): never => {
    throw new Error(`${why}: ${JSON.stringify(r)}`);
  };
  if (r.ok === true) {
    if (typeof r.packet?.type !== 'string') fail('ok result without a packet type');
    return;
  }
  if (r.ok !== false) fail('result is neither ok nor not ok');
  const v = r.violation;
  if (v?.kind !== 'protocol-violation') fail('violation without kind');
  const ids = known[v.statement.version];
  if (!ids || !ids.has(v.statement.id)) fail(`${v.statement.id} (${v.statement.version}) is not in the registry`);
  if (/internal decoder error/.test(v.message)) fail('decoder threw internally');
  if (!(v.reasonCode >= 0x80 && v.reasonCode <= 0xff)) fail('reason code outside 0x80..0xff');
}

describe(`fast-check codec properties (seed ${seed})`, () => {
  for (const level of [4, 5] as const) {
    describe(`level ${level}: decode(encode(p)) equals p (and encodedLength is right)`, () => {
      for (const [type, arb] of Object.entries(sentPacketArbs(level))) {
        it(type, () => {
          fc.assert(
            fc.property(arb!, ({ packet, from }) => {
              const bytes = encodePacket(packet, level);
              if (encodedLength(packet, level) !== bytes.length)
                throw new Error('encodedLength differs from the encoding');
              const r = decodePacket(bytes, { protocolLevel: level, from });
              if (!r.ok) throw new Error(`rejected ${r.violation.statement.id}: ${r.violation.message}`);
              expect(r.packet).toEqual(packet);
            }),
            params(RUNS.perType),
          );
        });
      }
    });

    it(`level ${level}: a stream split into arbitrary chunks (down to 1 byte) gives the same packets`, () => {
      // A client stream may open with a CONNECT; the reader then starts at the other level and
      // the CONNECT must switch it.
      const connect = sentPacketArbs(level).connect!.map((s) => s.packet);
      const arb = fc.constantFrom<'client' | 'server'>('client', 'server').chain((from) =>
        fc.record({
          from: fc.constant(from),
          cuts: fc.array(fc.nat(), { maxLength: 12 }),
          ones: fc.boolean(),
          packets: fc
            .tuple(
              from === 'client' ? fc.option(connect, { nil: undefined }) : fc.constant(undefined),
              streamArb(level, from),
            )
            .map(([c, rest]) => (c ? [c, ...rest] : rest)),
        }),
      );
      fc.assert(
        fc.property(arb, ({ from, packets, cuts, ones }) => {
          const stream = Buffer.concat(packets.map((p) => encodePacket(p, level)));
          const points = ones
            ? Array.from({ length: stream.length }, (_, i) => i)
            : [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
          const startLevel = packets[0].type === 'connect' ? (level === 5 ? 4 : 5) : level;
          const reader = new PacketReader({ protocolLevel: startLevel, from });
          const out: DecodeResult[] = [];
          let prev = 0;
          for (const p of [...points, stream.length]) {
            // Copy each chunk so no packet can alias memory the test later changes.
            out.push(...reader.push(Buffer.from(stream.subarray(prev, p))));
            prev = p;
          }
          const bad = out.find((r) => !r.ok);
          if (bad && !bad.ok) throw new Error(`violation ${bad.violation.statement.id}: ${bad.violation.message}`);
          expect(out.map((r) => (r.ok ? r.packet : null))).toEqual(packets);
        }),
        params(RUNS.stream),
      );
    });

    it(`level ${level}: arbitrary bytes never throw, only typed results`, () => {
      const arb = fc.record({
        head: fc.integer({ min: 0, max: 255 }),
        body: fc.uint8Array({ maxLength: 64 }),
        from: fc.constantFrom<'client' | 'server'>('client', 'server'),
        splits: fc.array(fc.nat(80), { maxLength: 4 }),
      });
      fc.assert(
        fc.property(arb, ({ head, body, from, splits }) => {
          // A plausible fixed header half the time, so the body decoders get exercised too.
          const bytes = Buffer.concat([Buffer.from([head, body.length]), Buffer.from(body)]);
          const raw = Buffer.from([head, ...body]);
          for (const frame of [bytes, raw]) {
            expectTyped(decodePacket(frame, { protocolLevel: level, from }));
            const reader = new PacketReader({ protocolLevel: level, from });
            let prev = 0;
            for (const s of [...splits.map((x) => Math.min(x, frame.length)).sort((a, b) => a - b), frame.length]) {
              for (const r of reader.push(frame.subarray(prev, Math.max(prev, s)))) expectTyped(r);
              prev = Math.max(prev, s);
            }
          }
        }),
        params(RUNS.bytes),
      );
    });

    it(`level ${level}: mutated valid packets never throw; what is accepted re-encodes to itself`, () => {
      const mutation = fc.oneof(
        fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
        fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
        fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
        fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
        fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
      );
      const arb = fc.record({
        sent: sentPacketArb(level),
        mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
      });
      fc.assert(
        fc.property(arb, ({ sent, mutations }) => {
          let b: Buffer = Buffer.from(encodePacket(sent.packet, level));
          for (const m of mutations) b = mutate(b, m);
          const opts = { protocolLevel: level, from: sent.from } as const;
          const r = decodePacket(b, opts);
          expectTyped(r);
          if (r.ok) {
            const lvl = r.packet.type === 'connect' ? r.packet.protocolLevel : level;
            const again = decodePacket(encodePacket(r.packet, lvl), { ...opts, protocolLevel: lvl });
            if (!again.ok) throw new Error(`re-encoding of an accepted packet rejected: ${again.violation.message}`);
            expect(again.packet).toEqual(r.packet);
          }
        }),
        params(RUNS.mutation),
      );
    });
  }
});

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'cut'; at: number }
  | { kind: 'insert'; at: number; value: number }
  | { kind: 'delete'; at: number };

function mutate(b: Buffer, m: Mutation): Buffer {
  if (b.length === 0) return b;
  const at = m.at % b.length;
  const c = Buffer.from(b);
  switch (m.kind) {
    case 'flip':
      c[at] ^= 1 << m.bit;
      return c;
    case 'set':
      c[at] = m.value;
      return c;
    case 'cut':
      return c.subarray(0, at);
    case 'insert':
      return Buffer.concat([c.subarray(0, at), Buffer.from([m.value]), c.subarray(at)]);
    case 'delete':
      return Buffer.concat([c.subarray(0, at), c.subarray(at + 1)]);
  }
}
