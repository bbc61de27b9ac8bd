import { describe, expect, it } from 'vitest';
import { decodePacket, encodePacket, PacketReader } from '../../src/codec/index.ts';
import type { DecodeResult } from '../../src/codec/index.ts';
import type { Packet } from '../../src/codec/packet-types.ts';
import { hex } from './helpers.ts';

const violationOf = (rs: DecodeResult[]) => {
  const bad = rs.find((r) => !r.ok);
  return bad && !bad.ok ? bad.violation : undefined;
};

describe('PacketReader: Maximum Packet Size is enforced from the fixed header', () => {
  // PUBLISH claiming remaining length 1000 (e8 07): 1003 bytes in all.
  const header = hex('30 e8 07 # PUBLISH QoS 0, remaining length 1000');
  const someBody = hex('00 01 61 # topic "a", then nothing more');

  it('reports 0x95 before the body arrives (header + a few bytes), citing the client rule', () => {
    const reader = new PacketReader({ protocolLevel: 5, maximumPacketSize: 100, from: 'client' });
    const v = violationOf(reader.push(Buffer.concat([header, someBody])));
    expect(v?.reasonCode).toBe(0x95);
    expect(v?.statement).toEqual({ version: '5.0', id: 'MQTT-3.2.2-15' });
    expect(reader.push(Buffer.alloc(997))).toEqual([]); // dead: the rest is never decoded
  });

  it('reports 0x95 on the last Remaining Length byte when fed one byte at a time', () => {
    const reader = new PacketReader({ protocolLevel: 5, maximumPacketSize: 100, from: 'server' });
    expect(reader.push(header.subarray(0, 1))).toEqual([]);
    expect(reader.push(header.subarray(1, 2))).toEqual([]);
    const v = violationOf(reader.push(header.subarray(2, 3)));
    expect(v?.reasonCode).toBe(0x95);
    expect(v?.statement).toEqual({ version: '5.0', id: 'MQTT-3.1.2-24' });
  });

  it('counts the whole packet: exactly the maximum passes, one byte more fails', () => {
    const p: Packet = { type: 'publish', topic: 'a', payload: Buffer.alloc(50), qos: 0, retain: false, dup: false };
    const bytes = encodePacket(p, 5); // 1 + 1 + 3 + 1 + 50 = 56 bytes
    expect(bytes.length).toBe(56);
    const exact = new PacketReader({ protocolLevel: 5, maximumPacketSize: 56, from: 'client' }).push(bytes);
    expect(exact.map((r) => r.ok)).toEqual([true]);
    const over = new PacketReader({ protocolLevel: 5, maximumPacketSize: 55, from: 'client' }).push(
      bytes.subarray(0, 2),
    );
    expect(violationOf(over)?.reasonCode).toBe(0x95);
  });

  it('also applies at 3.1.1 (a harness limit), with reason 0x95', () => {
    const reader = new PacketReader({ protocolLevel: 4, maximumPacketSize: 100, from: 'client' });
    const v = violationOf(reader.push(header));
    expect(v?.reasonCode).toBe(0x95);
    expect(v?.statement.version).toBe('3.1.1');
  });

  it('decodePacket applies the same limit', () => {
    const frame = Buffer.concat([header, Buffer.alloc(1000)]);
    const r = decodePacket(frame, { protocolLevel: 5, maximumPacketSize: 1002, from: 'client' });
    expect(r.ok ? undefined : r.violation.reasonCode).toBe(0x95);
    expect(decodePacket(frame, { protocolLevel: 5, maximumPacketSize: 1003, from: 'client' }).ok).toBe(false); // body is not a valid PUBLISH
  });
});

describe('PacketReader: stream behaviour', () => {
  it('a CONNECT sets the reader level from its own header', () => {
    const reader = new PacketReader({ from: 'client' });
    const connect: Packet = {
      type: 'connect',
      protocolName: 'MQTT',
      protocolLevel: 4,
      clean: true,
      keepAlive: 0,
      clientId: 'c',
    };
    const ack: Packet = { type: 'puback', packetId: 3 };
    const rs = reader.push(Buffer.concat([encodePacket(connect, 4), encodePacket(ack, 4)]));
    expect(reader.protocolLevel).toBe(4);
    expect(rs.map((r) => (r.ok ? r.packet : r.violation.message))).toEqual([connect, ack]);
  });

  it('is dead after the first violation: later valid packets are not decoded', () => {
    const reader = new PacketReader({ protocolLevel: 5, from: 'client' });
    const rs = reader.push(
      hex(`
      c0 00                   # PINGREQ
      c1 00                   # PINGREQ with a reserved flag bit
      c0 00                   # PINGREQ, never reached`),
    );
    expect(rs.map((r) => r.ok)).toEqual([true, false]);
    expect(reader.push(hex('c0 00'))).toEqual([]);
  });

  it('waits for a packet split inside its Remaining Length and inside its body', () => {
    const reader = new PacketReader({ protocolLevel: 4, from: 'client' });
    const bytes = encodePacket(
      { type: 'publish', topic: 't', payload: Buffer.alloc(300, 7), qos: 0, retain: false, dup: false },
      4,
    );
    expect(reader.push(bytes.subarray(0, 2))).toEqual([]); // remaining length is 2 bytes long
    expect(reader.push(bytes.subarray(2, 100))).toEqual([]);
    const rs = reader.push(bytes.subarray(100));
    expect(rs).toHaveLength(1);
    expect(rs[0].ok && rs[0].packet.type === 'publish' && rs[0].packet.payload.equals(Buffer.alloc(300, 7))).toBe(true);
  });
});
