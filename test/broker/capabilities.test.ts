import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from './helpers.ts';
import { RawClient } from './raw-client.ts';

let tb: TestBroker;
const raws: RawClient[] = [];
let n = 0;
const client = async (extra: Parameters<RawClient['connect']>[1] = {}, level: 4 | 5 = 5) => {
  const c = await RawClient.open(tb.port, level);
  raws.push(c);
  const ack = await c.connect(`cap-${++n}`, extra);
  expect(ack.reasonCode).toBe(0);
  return { c, ack };
};
beforeAll(async () => {
  tb = await startTestBroker({
    capabilities: {
      maximumQoS: 1,
      retainAvailable: false,
      wildcardSubscriptionAvailable: false,
      sharedSubscriptionAvailable: false,
      subscriptionIdentifiersAvailable: false,
      maximumPacketSize: 200,
    },
  });
});
afterAll(async () => {
  raws.forEach((r) => r.end());
  await tb.close();
});

describe('server capabilities', () => {
  it('announces them in CONNACK', async () => {
    const { ack } = await client();
    expect(ack.properties).toMatchObject({
      maximumQoS: 1,
      retainAvailable: 0,
      wildcardSubscriptionAvailable: 0,
      sharedSubscriptionAvailable: 0,
      subscriptionIdentifierAvailable: 0,
      maximumPacketSize: 200,
    });
  });

  it('refuses unsupported subscriptions with 0xA2 / 0x9E and caps granted QoS', async () => {
    const { c } = await client();
    c.send({
      type: 'subscribe',
      packetId: 1,
      subscriptions: [
        { topicFilter: 'a/#', qos: 0 },
        { topicFilter: '$share/g/a', qos: 0 },
        { topicFilter: 'a/b', qos: 2 },
      ],
    });
    expect((await c.expect('suback')).reasonCodes).toEqual([0xa2, 0x9e, 1]);
    const { c: c4 } = await client({}, 4);
    c4.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'a/+', qos: 0 }] });
    expect((await c4.expect('suback')).reasonCodes).toEqual([0x80]);
  });

  it('disconnects with 0xA1 for a subscription identifier when not available', async () => {
    const { c } = await client();
    c.send({
      type: 'subscribe',
      packetId: 1,
      subscriptions: [{ topicFilter: 'a/b', qos: 0 }],
      properties: { subscriptionIdentifiers: [3] },
    });
    expect((await c.expect('disconnect')).reasonCode).toBe(0xa1);
  });

  it('disconnects with 0x9B for PUBLISH above maximum QoS and 0x9A for RETAIN', async () => {
    const { c } = await client();
    c.send({ type: 'publish', topic: 'q', payload: Buffer.from('x'), qos: 2, retain: false, dup: false, packetId: 1 });
    expect((await c.expect('disconnect')).reasonCode).toBe(0x9b);
    const { c: d } = await client();
    d.send({ type: 'publish', topic: 'q', payload: Buffer.from('x'), qos: 0, retain: true, dup: false });
    expect((await d.expect('disconnect')).reasonCode).toBe(0x9a);
  });

  it('disconnects with 0x95 for a packet above the maximum packet size', async () => {
    const { c } = await client();
    c.send({ type: 'publish', topic: 'big', payload: Buffer.alloc(300), qos: 0, retain: false, dup: false });
    expect((await c.expect('disconnect')).reasonCode).toBe(0x95);
  });

  it("never sends a client a packet above the client's maximum packet size (3.1.2-24/25)", async () => {
    const { c: s } = await client({ properties: { maximumPacketSize: 60 } });
    s.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'mp/t', qos: 1 }] });
    await s.expect('suback');
    const { c: p } = await client();
    p.send({
      type: 'publish',
      topic: 'mp/t',
      payload: Buffer.alloc(100),
      qos: 1,
      retain: false,
      dup: false,
      packetId: 1,
    });
    p.send({
      type: 'publish',
      topic: 'mp/t',
      payload: Buffer.from('small'),
      qos: 1,
      retain: false,
      dup: false,
      packetId: 2,
    });
    const m = await s.expect('publish');
    expect(m.payload.toString()).toBe('small');
    s.send({ type: 'puback', packetId: m.packetId! });
    await s.barrier();
    expect(s.received.filter((x) => x.type === 'publish')).toEqual([]); // the big one is dropped, not retried
  });
});
