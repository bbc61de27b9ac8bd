import { describe, expect, it } from 'vitest';
import { until } from './helpers.ts';
import { RawClient } from './raw-client.ts';
import { client, nothing, publish, raws, scheduler, subscribe, tb, useFeatureBroker } from './features-v5-helpers.ts';

useFeatureBroker();

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
    const w = await RawClient.open(tb().port, 5);
    raws.push(w);
    await w.connect('wd-client', { will, properties: { sessionExpiryInterval: 10 } });
    const connected = tb().broker.stats.clientsConnected;
    w.end();
    await until(() => tb().broker.stats.clientsConnected === connected - 1, 'the broker to see the will client go');
    scheduler.advance(900);
    expect(await nothing(s)).toEqual([]);
    scheduler.advance(100);
    expect((await s.expect('publish', 3000)).payload.toString()).toBe('late');
    const w2 = await RawClient.open(tb().port, 5);
    raws.push(w2);
    await w2.connect('wd-client2', { will: { ...will, topic: 'wd/b' }, properties: { sessionExpiryInterval: 10 } });
    w2.end();
    await until(
      () => tb().broker.stats.clientsConnected === connected - 1,
      'the broker to see the second will client go',
    );
    scheduler.advance(500);
    const back = await RawClient.open(tb().port, 5);
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
