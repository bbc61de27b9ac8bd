/**
 * Grammar-aware mutations: a valid packet, broken in one named, field-aware way (wrong lengths,
 * reserved flags, bad UTF-8, repeated or misplaced properties, packet id 0, over-long or truncated
 * variable byte integers, an oversized Remaining Length, ...). Pure; the Rng chooses. Whether the
 * result really breaks a rule is decided by the oracle (the codec), not here.
 */
import type { Rng } from '../common/rng.ts';
import {
  bodyOffset,
  buildRaw,
  encodePacket,
  peekVarint,
  rawPacket,
  varintBytes,
  varintSize,
  varintValue,
  type Packet,
} from '../codec/index.ts';
import { pick, type FuzzLevel } from './grammar.ts';

export interface Mutated {
  bytes: Buffer;
  /** The mutation's name, e.g. "grammar:bad-utf8". */
  mutation: string;
}

const BAD_UTF8 = [
  'ff',
  'c0 80',
  'ed a0 80',
  '00',
  'f8 88 80 80 80',
  'e0 80 80',
  'c3',
  '61 00 62',
  'f4 90 80 80',
  'ef bf',
];

/** Split an encoded packet into its first byte and body. */
export function splitFrame(enc: Buffer): { byte0: number; body: Buffer } {
  return { byte0: enc[0], body: enc.subarray(bodyOffset(enc)) };
}

/** Offset in the body of the 5.0 Property Length, for the packets whose layout makes it easy. */
export function propertiesOffset(p: Packet): number | undefined {
  switch (p.type) {
    case 'publish':
      return 2 + Buffer.byteLength(p.topic) + (p.qos > 0 ? 2 : 0);
    case 'subscribe':
    case 'unsubscribe':
      return 2;
    case 'connect':
      return 2 + Buffer.byteLength(p.protocolName) + 4;
    default:
      return undefined;
  }
}

function readVarint(b: Buffer, at: number): { value: number; size: number } {
  const r = peekVarint(b, at);
  if (r < 0) throw new Error(`our own encoding has no readable Property Length at ${at}`);
  return { value: varintValue(r), size: varintSize(r) };
}

/** Re-encode `p` at 5.0 with `extra` appended to its property block (Property Length adjusted). */
export function appendProperty(p: Packet, extra: Buffer, lengthDelta = 0): Buffer | undefined {
  const off = propertiesOffset(p);
  if (off === undefined) return undefined;
  const { byte0, body } = splitFrame(encodePacket(p, 5));
  const { value, size } = readVarint(body, off);
  const block = body.subarray(off + size, off + size + value);
  const rest = body.subarray(off + size + value);
  const newBody = Buffer.concat([
    body.subarray(0, off),
    varintBytes(value + extra.length + lengthDelta),
    block,
    extra,
    rest,
  ]);
  return rawPacket(byte0, newBody);
}

/** Property bytes that break a rule: repeated, not allowed in this packet, unknown, bad value, truncated. */
function badProperty(rng: Rng, p: Packet): { bytes: Buffer; name: string } {
  const choices: { bytes: string; name: string }[] = [
    { bytes: '7f 00', name: 'unknown-property' },
    { bytes: '00', name: 'property-id-0' },
    { bytes: '24 01', name: 'server-only-property' }, // Maximum QoS from a client
    { bytes: '13 00 0a', name: 'server-only-property' }, // Server Keep Alive
    { bytes: '26 00 05 61', name: 'truncated-property' },
    { bytes: '02 00 00', name: 'truncated-property' },
    { bytes: '0b 80 80 80 80 01', name: 'overlong-varint-property' },
  ];
  if (p.type === 'publish') {
    choices.push(
      { bytes: '02 00 00 00 05 02 00 00 00 06', name: 'repeated-property' },
      { bytes: '01 02', name: 'wrong-value-property' }, // Payload Format Indicator 2
      { bytes: '23 00 00', name: 'topic-alias-0' },
      { bytes: '0b 05', name: 'misplaced-property' }, // Subscription Identifier from a client
      { bytes: '11 00 00 00 0a', name: 'misplaced-property' },
      { bytes: '08 00 03 61 2f 23', name: 'wrong-value-property' }, // Response Topic with a wildcard
      { bytes: '03 00 02 ff fe', name: 'bad-utf8-property' },
    );
  } else if (p.type === 'connect') {
    choices.push(
      { bytes: '11 00 00 00 01 11 00 00 00 02', name: 'repeated-property' },
      { bytes: '21 00 00', name: 'wrong-value-property' }, // Receive Maximum 0
      { bytes: '27 00 00 00 00', name: 'wrong-value-property' }, // Maximum Packet Size 0
      { bytes: '17 02', name: 'wrong-value-property' },
      { bytes: '16 00 01 00', name: 'auth-data-without-method' },
      { bytes: '23 00 01', name: 'misplaced-property' },
    );
  } else if (p.type === 'subscribe') {
    choices.push(
      { bytes: '0b 00', name: 'wrong-value-property' }, // Subscription Identifier 0
      { bytes: '0b 01 0b 02', name: 'repeated-property' },
      { bytes: '01 00', name: 'misplaced-property' },
    );
  }
  const c = pick(rng, choices);
  return { bytes: Buffer.from(c.bytes.replace(/ /g, ''), 'hex'), name: c.name };
}

function firstString(p: Packet): string | undefined {
  switch (p.type) {
    case 'publish':
      return p.topic;
    case 'subscribe':
      return p.subscriptions[0]?.topicFilter;
    case 'unsubscribe':
      return p.topicFilters[0];
    case 'connect':
      return p.clientId !== '' ? p.clientId : undefined;
    default:
      return undefined;
  }
}

const hasPacketId = (p: Packet): boolean =>
  (p.type === 'publish' && p.qos > 0) ||
  ['subscribe', 'unsubscribe', 'puback', 'pubrec', 'pubrel', 'pubcomp'].includes(p.type);

/** One grammar-aware mutation of `p` (a valid packet at `level`). */
export function mutateGrammar(rng: Rng, p: Packet, level: FuzzLevel): Mutated {
  const ops: string[] = [
    'reserved-flags',
    'remaining-length',
    'overlong-varint',
    'non-minimal-varint',
    'oversized-remaining-length',
    'truncated-body',
    'trailing-bytes',
  ];
  if (firstString(p) !== undefined) ops.push('bad-utf8', 'bad-utf8', 'string-length');
  if (level === 5 && propertiesOffset(p) !== undefined) ops.push('bad-property', 'bad-property', 'property-length');
  if (hasPacketId(p)) ops.push('packet-id-0');
  if (p.type === 'publish') ops.push('topic-wildcard', 'publish-qos3', 'empty-topic');
  if (p.type === 'subscribe') ops.push('subscribe-no-filters', 'subscription-options');
  if (p.type === 'unsubscribe') ops.push('unsubscribe-no-filters');
  if (p.type === 'connect') ops.push('connect-flags', 'connect-protocol', 'connect-will');
  const op = pick(rng, ops);
  const name = `grammar:${op}`;
  const enc = encodePacket(p, level);
  const { byte0, body } = splitFrame(enc);
  const out = (bytes: Buffer, n = name): Mutated => ({ bytes, mutation: n });
  switch (op) {
    case 'reserved-flags': {
      const required = byte0 >> 4 === 3 ? byte0 & 0x0f : byte0 & 0x0f;
      let flags = rng.int(0, 15);
      if (flags === required) flags ^= 1 << rng.int(0, 3);
      return out(Buffer.concat([Buffer.from([(byte0 & 0xf0) | flags]), enc.subarray(1)]));
    }
    case 'remaining-length': {
      const delta = pick(rng, [-3, -2, -1, 1, 2, 3]);
      return out(rawPacket(byte0, body, Math.max(0, body.length + delta)));
    }
    case 'overlong-varint':
      return out(
        Buffer.concat([
          Buffer.from([byte0]),
          Buffer.from(
            pick(rng, [
              [0x80, 0x80, 0x80, 0x80, 0x01],
              [0xff, 0xff, 0xff, 0xff, 0x7f],
              [0x80, 0x80, 0x80, 0x80, 0x80],
            ]),
          ),
          body,
        ]),
      );
    case 'non-minimal-varint':
      return out(rawPacket(byte0, body, varintBytes(body.length, rng.int(2, 4))));
    case 'oversized-remaining-length':
      return out(rawPacket(byte0, body, pick(rng, [268_435_455, 16_384_000, 2_097_152])));
    case 'truncated-body':
      return out(rawPacket(byte0, body.subarray(0, rng.int(0, Math.max(0, body.length - 1)))));
    case 'trailing-bytes':
      return out(
        rawPacket(
          byte0,
          Buffer.concat([body, Buffer.from(Array.from({ length: rng.int(1, 4) }, () => rng.int(0, 255)))]),
        ),
      );
    case 'bad-utf8':
      return out(buildRaw(p, level, { corruptString: { find: firstString(p)!, bytes: pick(rng, BAD_UTF8) } }));
    case 'string-length': {
      const s = Buffer.from(firstString(p)!, 'utf8');
      const prefixed = Buffer.concat([Buffer.from([s.length >> 8, s.length & 0xff]), s]);
      const at = body.indexOf(prefixed);
      const nb = Buffer.from(body);
      nb.writeUInt16BE(pick(rng, [s.length + 1, s.length + 200, 0xffff, Math.max(0, s.length - 1)]), at);
      return out(rawPacket(byte0, nb));
    }
    case 'bad-property': {
      const bp = badProperty(rng, p);
      return out(appendProperty(p, bp.bytes)!, `grammar:${bp.name}`);
    }
    case 'property-length':
      return out(appendProperty(p, Buffer.alloc(0), pick(rng, [1, 5, 1000, -1]))!);
    case 'packet-id-0': {
      if (p.type === 'publish') return out(encodePacket({ ...p, packetId: 0 }, level));
      return out(encodePacket({ ...(p as Packet & { packetId: number }), packetId: 0 } as Packet, level));
    }
    case 'topic-wildcard':
      return out(
        encodePacket(
          {
            ...(p as Extract<Packet, { type: 'publish' }>),
            topic: `${(p as { topic: string }).topic}/${pick(rng, ['+', '#', 'a+', '#/x'])}`,
          },
          level,
        ),
      );
    case 'publish-qos3':
      return out(Buffer.concat([Buffer.from([byte0 | 0x06]), enc.subarray(1)]));
    case 'empty-topic':
      return out(encodePacket({ ...(p as Extract<Packet, { type: 'publish' }>), topic: '' }, level));
    case 'subscribe-no-filters':
    case 'unsubscribe-no-filters': {
      const keep = level === 5 ? 2 + readVarint(body, 2).size + readVarint(body, 2).value : 2;
      return out(rawPacket(byte0, body.subarray(0, keep)));
    }
    case 'subscription-options': {
      const s = (p as Extract<Packet, { type: 'subscribe' }>).subscriptions[0];
      const fl = Buffer.byteLength(s.topicFilter);
      const off = (level === 5 ? 2 + readVarint(body, 2).size + readVarint(body, 2).value : 2) + 2 + fl;
      const nb = Buffer.from(body);
      nb[off] = pick(rng, level === 5 ? [0x03, 0x30, 0x40, 0xc0, 0x07] : [0x03, 0x04, 0x80, 0xff]);
      return out(rawPacket(byte0, nb));
    }
    case 'connect-flags': {
      const at = 2 + Buffer.byteLength((p as { protocolName: string }).protocolName) + 1;
      const nb = Buffer.from(body);
      nb[at] = pick(rng, [nb[at] | 0x01, 0x40 | (nb[at] & 0xbf & ~0x80), nb[at] | 0x18, nb[at] | 0x20, 0xff]);
      return out(rawPacket(byte0, nb));
    }
    case 'connect-protocol': {
      const nb = Buffer.from(body);
      if (rng.chance(0.5)) nb[2 + 4] = pick(rng, [0, 1, 2, 6, 0x84, 0xff]);
      else nb.write(pick(rng, ['MQTX', 'mqtt', 'MQIs']), 2, 'latin1');
      return out(rawPacket(byte0, nb));
    }
    case 'connect-will': {
      const at = 2 + Buffer.byteLength((p as { protocolName: string }).protocolName) + 1;
      const nb = Buffer.from(body);
      nb[at] = (nb[at] & ~0x04) | pick(rng, [0x08, 0x10, 0x20, 0x18]); // will QoS / retain without the will flag, or QoS 3
      return out(rawPacket(byte0, nb));
    }
  }
  return out(enc, 'grammar:none');
}
