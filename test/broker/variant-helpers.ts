/**
 * Shared by the variant tests (variant.test.ts, variant-codes.test.ts): brokers and raw clients
 * opened through these helpers are closed by `closeAll` (each test file runs it after each test).
 */
import { expect } from 'vitest';
import type { Packet, PublishPacket } from '../../src/codec/index.ts';
import type { BrokerOptions, Variant } from '../../src/broker/index.ts';
import { startTestBroker, type TestBroker } from './helpers.ts';
import { RawClient } from './raw-client.ts';

/** Everything to close after the test (push raw clients opened by hand). */
export const open: (TestBroker | RawClient)[] = [];
export async function closeAll(): Promise<void> {
  for (const x of open.splice(0).reverse()) {
    if (x instanceof RawClient) x.end();
    else await x.close();
  }
}

export async function broker(variant: Variant | undefined, extra: BrokerOptions = {}): Promise<TestBroker> {
  const tb = await startTestBroker({ ...extra, ...(variant ? { variant } : {}) });
  open.push(tb);
  return tb;
}

let n = 0;
export async function client(
  tb: TestBroker,
  level: 4 | 5 = 5,
  extra: Parameters<RawClient['connect']>[1] = {},
): Promise<RawClient> {
  const c = await RawClient.open(tb.port, level);
  open.push(c);
  const ack = await c.connect(`var-${++n}`, extra);
  expect(ack.reasonCode).toBe(0);
  return c;
}

export const publish = (
  topic: string,
  payload: string | Buffer,
  extra: Partial<PublishPacket> = {},
): PublishPacket => ({
  type: 'publish',
  topic,
  payload: Buffer.isBuffer(payload) ? payload : Buffer.from(payload),
  qos: 0,
  retain: false,
  dup: false,
  ...extra,
});

export async function subscribe(
  c: RawClient,
  filters: string[],
  qos: 0 | 1 | 2 = 1,
  properties?: Record<string, unknown>,
): Promise<number[]> {
  c.send({
    type: 'subscribe',
    packetId: 7,
    subscriptions: filters.map((topicFilter) => ({ topicFilter, qos })),
    ...(properties ? { properties } : {}),
  });
  return (await c.expect('suback')).reasonCodes;
}

/** Whatever arrived up to a round trip through the broker (for "nothing more comes"), taken out. */
export async function settle(c: RawClient): Promise<Packet[]> {
  await c.barrier();
  return c.received.splice(0);
}
