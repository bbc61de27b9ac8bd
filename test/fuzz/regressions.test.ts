/** Findings of the fuzzer in the reference broker, replayed as minimal frames (one test each). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { encodePacket, hexToBuffer, PacketReader } from '../../src/codec/index.ts';
import { silentLogger, startBroker, type RunningBroker } from '../../src/broker/index.ts';
import { expectationOf, PINGREQ, runFrames } from '../../src/fuzz/index.ts';

const CONNECT4 = encodePacket(
  { type: 'connect', protocolName: 'MQTT', protocolLevel: 4, clean: true, keepAlive: 60, clientId: 'a' },
  4,
);

let b: RunningBroker;
beforeAll(async () => {
  b = await startBroker({ port: 0, logger: silentLogger });
});
afterAll(async () => {
  await b.close();
});

const replay = (level: 4 | 5, ...hex: string[]) =>
  runFrames({ host: '127.0.0.1', port: b.port }, [...hex.map(hexToBuffer), PINGREQ], level, 3000);

it('soak:fuzz seed 14 case 11440: a second CONNECT with a bad protocol version gets DISCONNECT 0x82, not 0x84 (5.0 MQTT-3.14.2-1)', async () => {
  const r = await replay(
    5,
    '10 15 00 04 4d 51 54 54 05 00 00 00 00 00 08 66 7a 2d 65 2d 38 74 73',
    '10 29 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00',
  );
  expect(r.judgement.finding).toBeUndefined();
  expect(r.observation.closed).toBe(true);
  expect(r.observation.packets.find((p) => p.type === 'disconnect')).toMatchObject({ reasonCode: 0x82 });
});

it('bench:fuzz profile: a header declaring 256 MiB allocates only what arrives (reader and oracle)', () => {
  const header = hexToBuffer('30 ff ff ff 7f');
  const before = process.memoryUsage().arrayBuffers;
  const readers = Array.from({ length: 8 }, () => new PacketReader({ protocolLevel: 4, from: 'client' }));
  for (const r of readers) expect(r.push(Buffer.concat([header, Buffer.alloc(100)]))).toEqual([]);
  // Eight readers holding a 256 MiB frame each would be 2 GiB of array buffers.
  expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
  expect(readers[0].buffered).toBe(105);
  const e = expectationOf([CONNECT4, header, PINGREQ], 4);
  expect(e.kind).toBe('incomplete');
  expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
});

it('the reader still assembles a packet larger than its first allocation from small chunks', () => {
  const payload = Buffer.alloc(300_000, 7);
  const frame = encodePacket({ type: 'publish', topic: 't', qos: 0, retain: false, dup: false, payload }, 4);
  const r = new PacketReader({ protocolLevel: 4, from: 'client' });
  const out = [];
  for (let i = 0; i < frame.length; i += 1000) out.push(...r.push(frame.subarray(i, i + 1000)));
  expect(out).toHaveLength(1);
  expect(out[0].ok && out[0].packet.type === 'publish' && Buffer.compare(out[0].packet.payload, payload)).toBe(0);
});
