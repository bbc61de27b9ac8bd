/**
 * The variant switches that change reason codes and refusals (issue 10): each test runs the same
 * exchange against the default broker and against the switch, and checks both answers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Authorizer, Variant } from '../../src/broker/index.ts';
import { RawClient } from './raw-client.ts';
import { broker, client, closeAll, open, publish, subscribe } from './variant-helpers.ts';

afterEach(closeAll);

describe('variant alternativeReasonCodes', () => {
  const denyX: Authorizer = { authorize: (_c, _a, topic) => !topic.startsWith('x/') };

  it('SUBACK: the specific code by default, 0x80 with the variant', async () => {
    for (const [variant, want] of [
      [undefined, [0x8f, 0x87, 1]],
      [{ alternativeReasonCodes: true }, [0x80, 0x80, 1]],
    ] as const) {
      const tb = await broker(variant, { authorizer: denyX });
      const s = await client(tb);
      expect(await subscribe(s, ['a/#/b', 'x/y', 'ok/t'])).toEqual(want);
    }
  });

  it('UNSUBACK: 0x11 for a filter with no subscription by default, 0x00 with the variant', async () => {
    for (const [variant, want] of [
      [undefined, [0x00, 0x11]],
      [{ alternativeReasonCodes: true }, [0x00, 0x00]],
    ] as const) {
      const tb = await broker(variant);
      const s = await client(tb);
      await subscribe(s, ['u/a']);
      s.send({ type: 'unsubscribe', packetId: 9, topicFilters: ['u/a', 'u/none'] });
      expect((await s.expect('unsuback')).reasonCodes).toEqual(want);
    }
  });

  it('Payload Format Indicator 1 with bad UTF-8: PUBACK 0x99 by default, DISCONNECT 0x99 with the variant', async () => {
    const bad = Buffer.from([0xff, 0xfe]);
    const tb0 = await broker(undefined);
    const p0 = await client(tb0);
    p0.send(publish('pf/t', bad, { qos: 1, packetId: 3, properties: { payloadFormatIndicator: 1 } }));
    expect((await p0.expect('puback')).reasonCode).toBe(0x99);
    const tb1 = await broker({ alternativeReasonCodes: true });
    const p1 = await client(tb1);
    p1.send(publish('pf/t', bad, { qos: 2, packetId: 3, properties: { payloadFormatIndicator: 1 } }));
    expect((await p1.expect('disconnect')).reasonCode).toBe(0x99);
    await p1.waitClosed();
    expect(p1.received.filter((x) => x.type === 'pubrec')).toEqual([]);
  });

  it('unsupported authentication method: CONNACK 0x8C by default, 0x87 with the variant', async () => {
    for (const [variant, want] of [
      [undefined, 0x8c],
      [{ alternativeReasonCodes: true }, 0x87],
    ] as const) {
      const tb = await broker(variant);
      const c = await RawClient.open(tb.port, 5);
      open.push(c);
      const ack = await c.connect('auth-m', { properties: { authenticationMethod: 'NOPE' } });
      expect(ack.reasonCode).toBe(want);
      await c.waitClosed();
    }
  });

  it('wildcard / shared subscriptions declared unavailable: SUBACK 0xA2/0x9E by default, DISCONNECT with the variant', async () => {
    const caps = { wildcardSubscriptionAvailable: false, sharedSubscriptionAvailable: false };
    const tb0 = await broker(undefined, { capabilities: caps });
    const s0 = await client(tb0);
    expect(await subscribe(s0, ['w/+', '$share/g/t'])).toEqual([0xa2, 0x9e]);
    const tb1 = await broker({ alternativeReasonCodes: true }, { capabilities: caps });
    for (const [filter, code] of [
      ['w/+', 0xa2],
      ['$share/g/t', 0x9e],
    ] as const) {
      const s1 = await client(tb1);
      s1.send({
        type: 'subscribe',
        packetId: 1,
        subscriptions: [
          { topicFilter: 'plain/t', qos: 0 },
          { topicFilter: filter, qos: 0 },
        ],
      });
      expect((await s1.expect('disconnect')).reasonCode).toBe(code);
      await s1.waitClosed();
      expect(s1.received.filter((x) => x.type === 'suback')).toEqual([]);
    }
  });

  it('3.1.1 SUBACK keeps 0x80 (the only failure code)', async () => {
    const tb = await broker({ alternativeReasonCodes: true }, { authorizer: denyX });
    const s = await client(tb, 4);
    expect(await subscribe(s, ['x/y', 'ok/t'])).toEqual([0x80, 1]);
  });
});

describe('variant swapMalformedProtocolError', () => {
  async function answers(variant: Variant | undefined): Promise<number[]> {
    const tb = await broker(variant);
    const a = await client(tb);
    a.send({ type: 'connect', protocolName: 'MQTT', protocolLevel: 5, clean: true, keepAlive: 60, clientId: 'again' }); // protocol error
    const b = await client(tb);
    b.sendRaw(Buffer.from([0x36, 0x05, 0x00, 0x01, 0x74, 0x00, 0x00])); // QoS 3 PUBLISH: malformed
    return [(await a.expect('disconnect')).reasonCode ?? 0, (await b.expect('disconnect')).reasonCode ?? 0];
  }

  it('default: 0x82 for a second CONNECT and 0x81 for a QoS 3 PUBLISH; the variant swaps them', async () => {
    expect(await answers(undefined)).toEqual([0x82, 0x81]);
    expect(await answers({ swapMalformedProtocolError: true })).toEqual([0x81, 0x82]);
  });

  it('more specific codes are kept', async () => {
    const tb = await broker({ swapMalformedProtocolError: true }, { capabilities: { topicAliasMaximum: 2 } });
    const p = await client(tb);
    p.send(publish('t', 'x', { properties: { topicAlias: 5 } }));
    expect((await p.expect('disconnect')).reasonCode).toBe(0x94);
  });
});

describe('variant refuseWithoutConnack', () => {
  it('5.0 refusal: CONNACK 0x87 by default; with the variant the connection just closes', async () => {
    for (const variant of [undefined, { refuseWithoutConnack: true }]) {
      const tb = await broker(variant, { allowAnonymous: false });
      const c = await RawClient.open(tb.port, 5);
      open.push(c);
      c.send({ type: 'connect', protocolName: 'MQTT', protocolLevel: 5, clean: true, keepAlive: 60, clientId: 'anon' });
      await c.waitClosed();
      const acks = c.received.filter((x) => x.type === 'connack').map((x) => (x as { reasonCode: number }).reasonCode);
      expect(acks).toEqual(variant ? [] : [0x87]);
    }
  });

  it('an error in a 5.0 CONNECT: no CONNACK with the variant', async () => {
    for (const variant of [undefined, { refuseWithoutConnack: true }]) {
      const tb = await broker(variant);
      const c = await RawClient.open(tb.port, 5);
      open.push(c);
      // CONNECT with the reserved flag bit set (MQTT-3.1.2-3: malformed).
      c.sendRaw(
        Buffer.from([0x10, 0x0e, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x05, 0x03, 0x00, 0x3c, 0x00, 0x00, 0x01, 0x61]),
      );
      await c.waitClosed();
      expect(c.received.filter((x) => x.type === 'connack')).toHaveLength(variant ? 0 : 1);
    }
  });

  it('3.1.1 refusals and the SHOULD cases keep their CONNACK', async () => {
    const tb = await broker({ refuseWithoutConnack: true }, { allowAnonymous: false, capabilities: { maximumQoS: 1 } });
    const c4 = await RawClient.open(tb.port, 4);
    open.push(c4);
    expect((await c4.connect('anon4')).reasonCode).toBe(5);
    const tb2 = await broker({ refuseWithoutConnack: true }, { capabilities: { maximumQoS: 1 } });
    const c5 = await RawClient.open(tb2.port, 5);
    open.push(c5);
    const ack = await c5.connect('willq', { will: { topic: 'w', payload: Buffer.from('x'), qos: 2, retain: false } });
    expect(ack.reasonCode).toBe(0x9b);
  });
});

describe('variant closeOnUnauthorizedPublish311', () => {
  const denyX: Authorizer = { authorize: (_c, action, topic) => action !== 'write' || !topic.startsWith('x/') };

  it('3.1.1 unauthorized PUBLISH: positive PUBACK by default, connection closed with the variant; 5.0 unchanged', async () => {
    const tb0 = await broker(undefined, { authorizer: denyX });
    const p0 = await client(tb0, 4);
    p0.send(publish('x/t', 'a', { qos: 1, packetId: 4 }));
    expect((await p0.expect('puback')).packetId).toBe(4);
    const tb1 = await broker({ closeOnUnauthorizedPublish311: true }, { authorizer: denyX });
    const p1 = await client(tb1, 4);
    p1.send(publish('x/t', 'a', { qos: 1, packetId: 4 }));
    await p1.waitClosed();
    expect(p1.received.filter((x) => x.type === 'puback')).toEqual([]);
    const p5 = await client(tb1, 5);
    p5.send(publish('x/t', 'a', { qos: 1, packetId: 4 }));
    expect((await p5.expect('puback')).reasonCode).toBe(0x87);
  });
});
