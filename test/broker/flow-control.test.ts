import { afterAll, describe, expect, it } from 'vitest';
import { startTestBroker, until, type TestBroker } from './helpers.ts';
import { RawClient } from './raw-client.ts';

const brokers: TestBroker[] = [];
const raws: RawClient[] = [];
afterAll(async () => {
  raws.forEach((r) => r.end());
  await Promise.all(brokers.map((b) => b.close()));
});
const setup = async (opts: Parameters<typeof startTestBroker>[0] = {}) => {
  const tb = await startTestBroker(opts);
  brokers.push(tb);
  const open = async (id: string, extra: Parameters<RawClient['connect']>[1] = {}, level: 4 | 5 = 5) => {
    const c = await RawClient.open(tb.port, level);
    raws.push(c);
    await c.connect(id, extra);
    return c;
  };
  return open;
};
const pubs = (c: RawClient) => c.received.filter((p) => p.type === 'publish');
/** Round trips through the broker instead of sleeps: the publisher's packets are handled, then the receivers' bytes have arrived. */
const settle = async (...cs: RawClient[]) => {
  for (const c of cs) await c.barrier();
};

describe('outbound flow control', () => {
  it("respects the client's Receive Maximum and queues the rest (3.3.4-9)", async () => {
    const open = await setup();
    const s = await open('rm-sub', { properties: { receiveMaximum: 2 } });
    s.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'rm/t', qos: 2 }] });
    await s.expect('suback');
    const p = await open('rm-pub');
    for (let i = 1; i <= 5; i++)
      p.send({
        type: 'publish',
        topic: 'rm/t',
        payload: Buffer.from(String(i)),
        qos: 1,
        retain: false,
        dup: false,
        packetId: i,
      });
    await settle(p, s);
    const first = pubs(s);
    expect(first.map((x) => x.type === 'publish' && x.payload.toString())).toEqual(['1', '2']);
    s.received.length = 0;
    s.send({ type: 'puback', packetId: (first[0] as { packetId: number }).packetId });
    await settle(s);
    expect(pubs(s).map((x) => x.type === 'publish' && x.payload.toString())).toEqual(['3']);
  });
});

describe('negative-control misbehave mode', () => {
  it('loses every Nth QoS 1 message when asked to', async () => {
    const open = await setup({ misbehave: { loseQos1EveryNth: 2 } });
    const s = await open('lose-sub');
    s.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'lose/t', qos: 1 }] });
    await s.expect('suback');
    const p = await open('lose-pub');
    for (let i = 1; i <= 4; i++)
      p.send({
        type: 'publish',
        topic: 'lose/t',
        payload: Buffer.from(String(i)),
        qos: 1,
        retain: false,
        dup: false,
        packetId: i,
      });
    await settle(p, s);
    expect(pubs(s).map((x) => x.type === 'publish' && x.payload.toString())).toEqual(['1', '3']);
  });

  it('duplicates QoS 2 deliveries when asked to', async () => {
    const open = await setup({ misbehave: { duplicateQos2: true } });
    const s = await open('dup-sub');
    s.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'dup2/t', qos: 2 }] });
    await s.expect('suback');
    const p = await open('dup-pub');
    p.send({
      type: 'publish',
      topic: 'dup2/t',
      payload: Buffer.from('x'),
      qos: 2,
      retain: false,
      dup: false,
      packetId: 1,
    });
    await settle(p, s);
    expect(pubs(s)).toHaveLength(2);
  });
});

describe('shared subscriptions when a member goes away (4.8.2)', () => {
  it('re-routes queued messages to a connected member; keeps in-flight ones for the member', async () => {
    const open = await setup();
    const a = await open('sh-a');
    const b = await open('sh-b', { properties: { receiveMaximum: 1, sessionExpiryInterval: 100 } });
    for (const c of [a, b]) {
      c.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: '$share/g/shr/t', qos: 1 }] });
      await c.expect('suback');
    }
    const p = await open('sh-pub');
    for (let i = 1; i <= 4; i++)
      p.send({
        type: 'publish',
        topic: 'shr/t',
        payload: Buffer.from(String(i)),
        qos: 1,
        retain: false,
        dup: false,
        packetId: i,
      });
    await settle(p, a, b);
    const got = (c: RawClient) => pubs(c).map((x) => x.type === 'publish' && x.payload.toString());
    expect(got(a)).toEqual(['1', '3']);
    expect(got(b)).toEqual(['2']); // '4' waits behind b's window of 1
    b.end();
    await b.waitClosed();
    await until(() => pubs(a).length >= 3, 'the queued message to move to a');
    expect(got(a)).toEqual(['1', '3', '4']);
    const b2 = await RawClient.open(brokers[brokers.length - 1].port, 5);
    raws.push(b2);
    expect(
      (await b2.connect('sh-b', { clean: false, properties: { sessionExpiryInterval: 100 } })).sessionPresent,
    ).toBe(true);
    const again = await b2.expect('publish');
    expect([again.payload.toString(), again.dup]).toEqual(['2', true]);
  });
});
