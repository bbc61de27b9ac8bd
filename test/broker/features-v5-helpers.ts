/**
 * One broker shared by the MQTT 5.0 feature tests (features-v5.test.ts, features-v5-connection.test.ts):
 * topic alias maximum 3, receive maximum 2, timers on a manual scheduler. Each test file calls
 * `useFeatureBroker()` once at top level; the broker starts before its tests and stops after them.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import type { PublishPacket } from '../../src/codec/index.ts';
import { ManualScheduler } from '../../src/common/index.ts';
import { startTestBroker, type TestBroker } from './helpers.ts';
import { RawClient } from './raw-client.ts';

let broker: TestBroker | undefined;
/** The running broker of the current test file. */
export const tb = (): TestBroker => {
  if (broker === undefined) throw new Error('useFeatureBroker() was not called');
  return broker;
};
/** The broker's timers (will delay) run on this: time moves only in advance(). */
export const scheduler = new ManualScheduler(1_000);
export const raws: RawClient[] = [];
let n = 0;
export const client = async (extra: Parameters<RawClient['connect']>[1] = {}, level: 4 | 5 = 5) => {
  const c = await RawClient.open(tb().port, level);
  raws.push(c);
  const ack = await c.connect(`v5-${++n}`, extra);
  expect(ack.reasonCode).toBe(0);
  return c;
};
export const publish = (topic: string, payload: string, extra: Partial<PublishPacket> = {}): PublishPacket => ({
  type: 'publish',
  topic,
  payload: Buffer.from(payload),
  qos: 0,
  retain: false,
  dup: false,
  ...extra,
});
export const subscribe = async (
  c: RawClient,
  topicFilter: string,
  opts: Record<string, unknown> = {},
  properties?: Record<string, unknown>,
) => {
  c.send({
    type: 'subscribe',
    packetId: 1,
    subscriptions: [{ topicFilter, qos: 1, ...opts }],
    ...(properties ? { properties } : {}),
  });
  return (await c.expect('suback')).reasonCodes;
};
/** The PUBLISHes that arrived up to a round trip through the broker (see RawClient.barrier). */
export const nothing = async (c: RawClient) => {
  await c.barrier();
  return c.publishes();
};

export function useFeatureBroker(): void {
  beforeAll(async () => {
    broker = await startTestBroker({ scheduler, capabilities: { topicAliasMaximum: 3, receiveMaximum: 2 } });
  });
  afterAll(async () => {
    raws.splice(0).forEach((r) => r.end());
    await broker?.close();
    broker = undefined;
  });
}
