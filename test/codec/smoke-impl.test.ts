import { describe, expect, it } from 'vitest';
import mqttPacket from 'mqtt-packet';
import {
  buildRaw,
  decodePacket,
  encodePacket,
  hexToBuffer,
  PacketReader,
  topicFilterProblem,
  varintBytes,
} from '../../src/codec/index.ts';
import type { Packet, ProtocolLevel } from '../../src/codec/index.ts';
import { createRng } from '../../src/common/index.ts';

const samples = (level: ProtocolLevel): Packet[] => {
  const v5 = level === 5;
  return [
    {
      type: 'connect',
      protocolName: level === 3 ? 'MQIsdp' : 'MQTT',
      protocolLevel: level,
      clean: true,
      keepAlive: 30,
      clientId: 'c1',
      username: 'u',
      password: Buffer.from('p'),
      will: {
        topic: 'w/t',
        payload: Buffer.from('bye'),
        qos: 1,
        retain: true,
        ...(v5 ? { properties: { willDelayInterval: 5 } } : {}),
      },
      ...(v5
        ? {
            properties: {
              sessionExpiryInterval: 60,
              receiveMaximum: 10,
              userProperties: [
                ['a', 'b'],
                ['a', 'c'],
              ],
            },
          }
        : {}),
    },
    { type: 'connack', sessionPresent: false, reasonCode: 0, ...(v5 ? { properties: { topicAliasMaximum: 5 } } : {}) },
    {
      type: 'publish',
      topic: 'a/b',
      payload: Buffer.from('hi'),
      qos: 1,
      packetId: 7,
      retain: false,
      dup: true,
      ...(v5 ? { properties: { topicAlias: 3, correlationData: Buffer.from([1, 2]) } } : {}),
    },
    { type: 'publish', topic: 'a/ü', payload: Buffer.alloc(0), qos: 0, retain: true, dup: false },
    { type: 'puback', packetId: 7, ...(v5 ? { reasonCode: 0x10 } : {}) },
    { type: 'pubrec', packetId: 8, ...(v5 ? { reasonCode: 0, properties: { reasonString: 'ok' } } : {}) },
    { type: 'pubrel', packetId: 9, ...(v5 ? { reasonCode: 0 } : {}) },
    { type: 'pubcomp', packetId: 10, ...(v5 ? { reasonCode: 0x92 } : {}) },
    {
      type: 'subscribe',
      packetId: 11,
      subscriptions: v5
        ? [{ topicFilter: 'x/#', qos: 2, noLocal: true, retainAsPublished: true, retainHandling: 2 }]
        : [
            { topicFilter: 'x/#', qos: 2 },
            { topicFilter: '+/y', qos: 0 },
          ],
      ...(v5 ? { properties: { subscriptionIdentifiers: [42] } } : {}),
    },
    { type: 'suback', packetId: 11, reasonCodes: [2, 0x80] },
    { type: 'unsubscribe', packetId: 12, topicFilters: ['x/#', 'z'] },
    { type: 'unsuback', packetId: 12, ...(v5 ? { reasonCodes: [0, 0x11] } : {}) },
    { type: 'pingreq' },
    { type: 'pingresp' },
    { type: 'disconnect', ...(v5 ? { reasonCode: 4 } : {}) },
    ...(v5
      ? [
          {
            type: 'auth',
            reasonCode: 0x18,
            properties: { authenticationMethod: 'SCRAM', authenticationData: Buffer.from([9]) },
          } as Packet,
        ]
      : []),
  ];
};

describe('codec smoke (implementation self-check)', () => {
  for (const level of [3, 4, 5] as ProtocolLevel[]) {
    it(`round-trips every packet type at level ${level}`, () => {
      for (const p of samples(level)) {
        const bytes = encodePacket(p, level);
        const r = decodePacket(bytes, { protocolLevel: level });
        if (!r.ok) throw new Error(`${p.type}: ${r.violation.message}`);
        expect(r.packet).toEqual(p);
      }
    });

    it(`matches mqtt-packet bytes and survives byte-at-a-time framing at level ${level}`, () => {
      const all = samples(level);
      const stream = Buffer.concat(all.map((p) => encodePacket(p, level)));
      const reader = new PacketReader({ protocolLevel: level });
      const got: Packet[] = [];
      for (let i = 0; i < stream.length; i++) {
        for (const r of reader.push(stream.subarray(i, i + 1))) {
          if (!r.ok) throw new Error(r.violation.message);
          got.push(r.packet);
        }
      }
      expect(got).toEqual(all);
      // Cross-check with mqtt-packet's parser for the same bytes.
      const parser = mqttPacket.parser({ protocolVersion: level });
      const theirs: string[] = [];
      parser.on('packet', (p: { cmd: string }) => theirs.push(p.cmd));
      parser.on('error', (e: Error) => {
        throw e;
      });
      parser.parse(stream);
      expect(theirs.length).toBe(all.length);
    });
  }

  it('PUBACK with reason 0 and no properties is 4 bytes at 5.0', () => {
    expect(encodePacket({ type: 'puback', packetId: 1, reasonCode: 0 }, 5).toString('hex')).toBe('40020001');
  });

  it('reports violations with statements and offsets', () => {
    const qos3 = decodePacket(hexToBuffer('36 05 00 01 61 00 01 # QoS 3'), { protocolLevel: 4 });
    expect(qos3.ok ? null : qos3.violation.statement).toEqual({ version: '3.1.1', id: 'MQTT-3.3.1-4' });
    const wild = decodePacket(
      buildRaw({ type: 'publish', topic: 'a/+', payload: Buffer.alloc(0), qos: 0, retain: false, dup: false }, 5),
      { protocolLevel: 5 },
    );
    expect(wild.ok ? null : wild.violation.statement.id).toBe('MQTT-3.3.2-2');
    const nul = decodePacket(
      buildRaw({ type: 'publish', topic: 'ab', payload: Buffer.alloc(0), qos: 0, retain: false, dup: false }, 5, {
        corruptString: { find: 'ab', bytes: '61 00' },
      }),
      { protocolLevel: 5 },
    );
    expect(nul.ok ? null : [nul.violation.statement.id, nul.violation.offset]).toEqual(['MQTT-1.5.4-2', 5]);
    const long = decodePacket(buildRaw({ type: 'pingreq' }, 5, { remainingLength: varintBytes(0, 5) }), {
      protocolLevel: 5,
    });
    expect(long.ok ? null : long.violation.reasonCode).toBe(0x81);
    const badLevel = decodePacket(buildRaw(samples(4)[0], 4, { patch: [{ offset: 8, bytes: [7] }] }), {
      protocolLevel: 4,
    });
    expect(badLevel.ok ? null : badLevel.violation.unsupportedProtocol).toBe(true);
  });

  it('enforces maximumPacketSize before buffering the body', () => {
    const reader = new PacketReader({ protocolLevel: 5, maximumPacketSize: 100, from: 'client' });
    const res = reader.push(Buffer.from([0x30, 0xe8, 0x07]));
    expect(res).toHaveLength(1);
    expect(res[0].ok ? null : [res[0].violation.reasonCode, res[0].violation.statement.id]).toEqual([
      0x95,
      'MQTT-3.2.2-15',
    ]);
    expect(reader.push(Buffer.alloc(10))).toEqual([]);
  });

  it('never throws or trips the internal guard on mutated packets (seeded fuzz)', () => {
    const seed = 20261122;
    const rng = createRng(seed);
    let rejected = 0;
    for (const level of [3, 4, 5] as ProtocolLevel[]) {
      const frames = samples(level).map((p) => encodePacket(p, level));
      for (let iter = 0; iter < 3000; iter++) {
        const f = Buffer.from(frames[rng.int(0, frames.length - 1)]);
        const flips = rng.int(1, 3);
        for (let k = 0; k < flips; k++) f[rng.int(0, f.length - 1)] = rng.int(0, 255);
        const cut = rng.chance(0.2) ? f.subarray(0, rng.int(0, f.length)) : f;
        const r = decodePacket(cut, { protocolLevel: level, from: rng.chance(0.5) ? 'client' : 'server' });
        if (!r.ok) {
          rejected++;
          expect(r.violation.message, `seed ${seed} iter ${iter}`).not.toMatch(/internal decoder error/);
        }
        const reader = new PacketReader({ protocolLevel: level });
        const split = rng.int(0, cut.length);
        const rs = [...reader.push(cut.subarray(0, split)), ...reader.push(cut.subarray(split))];
        for (const x of rs) if (!x.ok) expect(x.violation.message).not.toMatch(/internal decoder error/);
      }
    }
    expect(rejected).toBeGreaterThan(0);
  });

  it('validates topic filters for brokers', () => {
    for (const ok of ['#', 'a/#', '+', '+/+/c', 'a//b', '/']) expect(topicFilterProblem(ok, 4), ok).toBeNull();
    expect(topicFilterProblem('a/#/b', 4)?.statement.id).toBe('MQTT-4.7.1-2');
    expect(topicFilterProblem('a+/b', 5)?.statement.id).toBe('MQTT-4.7.1-2');
    expect(topicFilterProblem('$share//a', 5)?.statement.id).toBe('MQTT-4.8.2-1');
    expect(topicFilterProblem('$share/g', 5)?.statement.id).toBe('MQTT-4.8.2-2');
    expect(topicFilterProblem('$share/g/a/+', 5)).toBeNull();
  });

  it('a CONNECT sets the reader level from its own header, even when it is broken', () => {
    const reader = new PacketReader({ from: 'client' });
    const bad = buildRaw(samples(4)[0], 4, { patch: [{ offset: 9, bytes: [0xc7] }] }); // reserved flag bit set
    const [r] = reader.push(bad);
    expect(r.ok ? null : r.violation.statement).toEqual({ version: '3.1.1', id: 'MQTT-3.1.2-3' });
    expect(reader.protocolLevel).toBe(4);
  });
});
