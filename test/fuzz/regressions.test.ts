/** Findings of the fuzzer in the reference broker, replayed as minimal frames (one test each). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hexToBuffer } from '../../src/codec/index.ts';
import { silentLogger, startBroker, type RunningBroker } from '../../src/broker/index.ts';
import { PINGREQ, runFrames } from '../../src/fuzz/index.ts';

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
