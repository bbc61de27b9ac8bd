import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublishPacket } from '../../src/codec/index.ts';
import { ManualScheduler } from '../../src/common/index.ts';
import { startTestBroker, until, type TestBroker } from './helpers.ts';
import { RawClient } from './raw-client.ts';

let tb: TestBroker;
/** The broker's timers (will delay) run on this: time moves only in advance(). */
const scheduler = new ManualScheduler(1_000);
const raws: RawClient[] = [];
let n = 0;
const client = async (extra: Parameters<RawClient['connect']>[1] = {}, level: 4 | 5 = 5) => {
  const c = await RawClient.open(tb.port, level);
  raws.push(c);
  const ack = await c.connect(`v5-${++n}`, extra);
  expect(ack.reasonCode).toBe(0);
  return c;
};
const publish = (topic: string, payload: string, extra: Partial<PublishPacket> = {}): PublishPacket => ({
  type: 'publish',
  topic,
  payload: Buffer.from(payload),
  qos: 0,
  retain: false,
  dup: false,
  ...extra,
});
const subscribe = async (
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
const nothing = async (c: RawClient) => {
  await c.barrier();
  return c.publishes();
};

beforeAll(async () => {
  tb = await startTestBroker({ scheduler, capabilities: { topicAliasMaximum: 3, receiveMaximum: 2 } });
});
afterAll(async () => {
  raws.forEach((r) => r.end());
  await tb.close();
});

describe('MQTT 5.0 features', () => {
  it('resolves client topic aliases and rejects an alias above the maximum with 0x94', async () => {
    const s = await client();
    await subscribe(s, 'alias/t');
    const p = await client();
    p.send(publish('alias/t', 'first', { properties: { topicAlias: 2 } }));
    p.send(publish('', 'second', { properties: { topicAlias: 2 } }));
    expect((await s.expect('publish')).payload.toString()).toBe('first');
    const second = await s.expect('publish');
    expect([second.topic, second.payload.toString(), second.properties?.topicAlias]).toEqual([
      'alias/t',
      'second',
      undefined,
    ]);
    p.send(publish('alias/t', 'bad', { properties: { topicAlias: 4 } }));
    expect((await p.expect('disconnect')).reasonCode).toBe(0x94);
  });

  it("uses server->client topic aliases within the client's maximum", async () => {
    const s = await client({ properties: { topicAliasMaximum: 2 } });
    await subscribe(s, 'ta/+');
    const p = await client();
    for (const t of ['ta/x', 'ta/x', 'ta/y', 'ta/z', 'ta/y']) p.send(publish(t, t));
    const seen: [string, number | undefined, string][] = [];
    for (let i = 0; i < 5; i++) {
      const m = await s.expect('publish');
      seen.push([m.topic, m.properties?.topicAlias, m.payload.toString()]);
    }
    expect(seen).toEqual([
      ['ta/x', 1, 'ta/x'],
      ['', 1, 'ta/x'],
      ['ta/y', 2, 'ta/y'],
      ['ta/z', undefined, 'ta/z'],
      ['', 2, 'ta/y'],
    ]);
  });

  it('disconnects a client exceeding Receive Maximum with 0x93', async () => {
    const p = await client();
    for (let id = 1; id <= 3; id++) p.send(publish('rm/x', 'm', { qos: 2, packetId: id }));
    expect((await p.expect('disconnect')).reasonCode).toBe(0x93);
  });

  it('sends one copy at the highest QoS with all subscription identifiers (3.3.4-2..4)', async () => {
    const s = await client();
    await subscribe(s, 'ov/+', { qos: 0 }, { subscriptionIdentifiers: [11] });
    await subscribe(s, 'ov/#', { qos: 1 }, { subscriptionIdentifiers: [22] });
    const p = await client();
    p.send(publish('ov/a', 'x', { qos: 1, packetId: 1 }));
    const m = await s.expect('publish');
    expect(m.qos).toBe(1);
    expect(m.properties?.subscriptionIdentifiers?.slice().sort()).toEqual([11, 22]);
    expect(await nothing(s)).toEqual([]);
  });

  it('honours No Local, Retain As Published and Retain Handling', async () => {
    const p = await client();
    p.send(publish('rh/t', 'retained', { retain: true, qos: 1, packetId: 1 }));
    await p.expect('puback');
    await subscribe(p, 'rh/#', { noLocal: true, retainHandling: 2 });
    p.send(publish('rh/t', 'own', { qos: 0 }));
    expect(await nothing(p)).toEqual([]); // no local + retain handling 2
    const s = await client();
    await subscribe(s, 'rh/#', { retainAsPublished: true, retainHandling: 1 });
    const r = await s.expect('publish');
    expect([r.payload.toString(), r.retain]).toEqual(['retained', true]);
    await subscribe(s, 'rh/#', { retainAsPublished: true, retainHandling: 1 }); // exists: no retained
    expect(await nothing(s)).toEqual([]);
    p.send(publish('rh/t', 'live', { retain: true, qos: 0 }));
    const live = await s.expect('publish');
    expect([live.payload.toString(), live.retain]).toEqual(['live', true]);
    const s4 = await client({}, 4);
    s4.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'rh/#', qos: 0 }] });
    await s4.expect('suback');
    await s4.expect('publish');
    p.send(publish('rh/t', 'live2', { retain: true, qos: 0 }));
    expect((await s4.expect('publish')).retain).toBe(false); // 3.1.1 MQTT-3.3.1-9
  });

  it('forwards properties unaltered and the remaining message expiry', async () => {
    const s = await client();
    await subscribe(s, 'props/t');
    const p = await client();
    const props = {
      payloadFormatIndicator: 1,
      contentType: 'text/plain',
      responseTopic: 'resp/t',
      correlationData: Buffer.from('c1'),
      userProperties: [
        ['b', '2'],
        ['a', '1'],
        ['b', '3'],
      ] as [string, string][],
      messageExpiryInterval: 100,
    };
    p.send(publish('props/t', 'hello', { properties: props }));
    const m = await s.expect('publish');
    expect(m.properties).toMatchObject({ ...props, messageExpiryInterval: expect.any(Number) });
    expect(m.properties!.messageExpiryInterval).toBeLessThanOrEqual(100);
  });

  it('answers invalid UTF-8 with payload format indicator by PUBACK 0x99', async () => {
    const p = await client();
    p.send({
      type: 'publish',
      topic: 'pfi',
      payload: Buffer.from([0xff, 0xfe]),
      qos: 1,
      retain: false,
      dup: false,
      packetId: 9,
      properties: { payloadFormatIndicator: 1 },
    });
    expect((await p.expect('puback')).reasonCode).toBe(0x99);
  });

  it('round-robins shared subscriptions and validates filters', async () => {
    const a = await client();
    const b = await client();
    expect(await subscribe(a, '$share/g/sh/+')).toEqual([1]);
    expect(await subscribe(b, '$share/g/sh/+')).toEqual([1]);
    expect(await subscribe(a, 'bad/#/x')).toEqual([0x8f]);
    const p = await client();
    for (let i = 0; i < 4; i++) p.send(publish('sh/x', String(i)));
    await p.barrier();
    await a.barrier();
    await b.barrier();
    const ga = a.received.filter((x) => x.type === 'publish').length;
    const gb = b.received.filter((x) => x.type === 'publish').length;
    expect([ga, gb]).toEqual([2, 2]);
  });

  it('returns UNSUBACK 0x11 when no subscription existed', async () => {
    const c = await client();
    await subscribe(c, 'u/1');
    c.send({ type: 'unsubscribe', packetId: 2, topicFilters: ['u/1', 'u/2'] });
    expect((await c.expect('unsuback')).reasonCodes).toEqual([0x00, 0x11]);
  });

  it('publishes the will after the will delay, unless the client comes back', async () => {
    const s = await client();
    await subscribe(s, 'wd/#');
    const will = {
      topic: 'wd/a',
      payload: Buffer.from('late'),
      qos: 0 as const,
      retain: false,
      properties: { willDelayInterval: 1 },
    };
    const w = await RawClient.open(tb.port, 5);
    raws.push(w);
    await w.connect('wd-client', { will, properties: { sessionExpiryInterval: 10 } });
    const connected = tb.broker.stats.clientsConnected;
    w.end();
    await until(() => tb.broker.stats.clientsConnected === connected - 1, 'the broker to see the will client go');
    scheduler.advance(900);
    expect(await nothing(s)).toEqual([]);
    scheduler.advance(100);
    expect((await s.expect('publish', 3000)).payload.toString()).toBe('late');
    const w2 = await RawClient.open(tb.port, 5);
    raws.push(w2);
    await w2.connect('wd-client2', { will: { ...will, topic: 'wd/b' }, properties: { sessionExpiryInterval: 10 } });
    w2.end();
    await until(
      () => tb.broker.stats.clientsConnected === connected - 1,
      'the broker to see the second will client go',
    );
    scheduler.advance(500);
    const back = await RawClient.open(tb.port, 5);
    raws.push(back);
    expect(
      (await back.connect('wd-client2', { clean: false, properties: { sessionExpiryInterval: 10 } })).sessionPresent,
    ).toBe(true);
    scheduler.advance(1500);
    expect(await nothing(s)).toEqual([]);
  });

  it('sends the will on DISCONNECT 0x04', async () => {
    const s = await client();
    await subscribe(s, 'w04/#');
    const w = await client({ will: { topic: 'w04/x', payload: Buffer.from('bye'), qos: 0, retain: false } });
    w.send({ type: 'disconnect', reasonCode: 0x04 });
    expect((await s.expect('publish')).payload.toString()).toBe('bye');
  });
});

describe('MQTT 5.0 connection details', () => {
  it('returns Response Information only when requested', async () => {
    const a = await RawClient.open(tb.port, 5);
    raws.push(a);
    expect(
      (await a.connect('ri-1', { properties: { requestResponseInformation: 1 } })).properties?.responseInformation,
    ).toBe('response/ri-1');
    const b = await RawClient.open(tb.port, 5);
    raws.push(b);
    expect((await b.connect('ri-2')).properties?.responseInformation).toBeUndefined();
  });

  it('publishes a delayed will when the session ends before the delay (3.1.2-8)', async () => {
    const s = await client();
    await subscribe(s, 'wend/#');
    const w = await RawClient.open(tb.port, 5);
    raws.push(w);
    await w.connect('wend-client', {
      will: {
        topic: 'wend/x',
        payload: Buffer.from('ended'),
        qos: 0,
        retain: false,
        properties: { willDelayInterval: 60 },
      },
      properties: { sessionExpiryInterval: 0 },
    });
    w.end();
    expect((await s.expect('publish', 1000)).payload.toString()).toBe('ended');
  });

  it('leaves out the reason string when an ack would exceed the client maximum (3.4.2-2)', async () => {
    const c = await client({ properties: { maximumPacketSize: 16 } });
    c.send({
      type: 'publish',
      topic: 'pfi',
      payload: Buffer.from([0xff]),
      qos: 1,
      retain: false,
      dup: false,
      packetId: 4,
      properties: { payloadFormatIndicator: 1 },
    });
    const ack = await c.expect('puback');
    expect([ack.reasonCode, ack.properties?.reasonString]).toEqual([0x99, undefined]);
  });

  it('omits reason strings on acks when Request Problem Information is 0', async () => {
    const a = await client({ properties: { requestProblemInformation: 0 } });
    a.send({
      type: 'publish',
      topic: 'rpi',
      payload: Buffer.from([0xff]),
      qos: 1,
      retain: false,
      dup: false,
      packetId: 1,
      properties: { payloadFormatIndicator: 1 },
    });
    const ack = await a.expect('puback');
    expect([ack.reasonCode, ack.properties?.reasonString]).toEqual([0x99, undefined]);
    const b = await client();
    b.send({
      type: 'publish',
      topic: 'rpi',
      payload: Buffer.from([0xff]),
      qos: 1,
      retain: false,
      dup: false,
      packetId: 1,
      properties: { payloadFormatIndicator: 1 },
    });
    expect((await b.expect('puback')).properties?.reasonString).toBeTypeOf('string');
  });
});
