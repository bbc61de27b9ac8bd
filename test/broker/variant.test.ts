/**
 * The legal-but-different `variant` switches (issue 10): each test runs the same exchange against
 * the default broker and against the switch, and checks both answers, so a switch that does
 * nothing (or changes the default) fails.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Packet, PublishPacket } from '../../src/codec/index.ts';
import { join } from 'node:path';
import { loadConfigFile, parseConfig } from '../../src/broker/config/index.ts';
import { resolveVariant } from '../../src/broker/options.ts';
import type { Authorizer, BrokerOptions, Variant } from '../../src/broker/index.ts';
import { startTestBroker, type TestBroker } from './helpers.ts';
import { RawClient } from './raw-client.ts';

const open: (TestBroker | RawClient)[] = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) {
    if (x instanceof RawClient) x.end();
    else await x.close();
  }
});

async function broker(variant: Variant | undefined, extra: BrokerOptions = {}): Promise<TestBroker> {
  const tb = await startTestBroker({ ...extra, ...(variant ? { variant } : {}) });
  open.push(tb);
  return tb;
}

let n = 0;
async function client(
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

const publish = (topic: string, payload: string | Buffer, extra: Partial<PublishPacket> = {}): PublishPacket => ({
  type: 'publish',
  topic,
  payload: Buffer.isBuffer(payload) ? payload : Buffer.from(payload),
  qos: 0,
  retain: false,
  dup: false,
  ...extra,
});

async function subscribe(
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
async function settle(c: RawClient): Promise<Packet[]> {
  await c.barrier();
  return c.received.splice(0);
}

describe('variant oneMessageInFlight', () => {
  async function inFlightBeforeAck(variant: Variant | undefined): Promise<{ before: number; after: string[] }> {
    const tb = await broker(variant);
    const s = await client(tb, 5, { properties: { receiveMaximum: 10 } });
    await subscribe(s, ['w/t']);
    const p = await client(tb);
    for (let i = 0; i < 3; i++) p.send(publish('w/t', `m${i}`, { qos: 1, packetId: i + 1 }));
    for (let i = 0; i < 3; i++) await p.expect('puback');
    const first = await s.expect('publish');
    const before = 1 + (await settle(s)).filter((x) => x.type === 'publish').length;
    s.send({ type: 'puback', packetId: first.packetId! });
    const after = (await settle(s))
      .filter((x): x is PublishPacket => x.type === 'publish')
      .map((x) => x.payload.toString());
    return { before, after };
  }

  it('default: the whole window is used at once', async () => {
    expect(await inFlightBeforeAck(undefined)).toEqual({ before: 3, after: [] });
  });

  it('variant: the next QoS 1 delivery goes out only after the previous one is acknowledged', async () => {
    expect(await inFlightBeforeAck({ oneMessageInFlight: true })).toEqual({ before: 1, after: ['m1'] });
  });

  it('variant: 3.1.1 clients too, and QoS 2 waits for PUBCOMP', async () => {
    const tb = await broker({ oneMessageInFlight: true });
    const s = await client(tb, 4);
    await subscribe(s, ['w2/t'], 2);
    const p = await client(tb, 4);
    p.send(publish('w2/t', 'a', { qos: 2, packetId: 1 }));
    p.send(publish('w2/t', 'b', { qos: 2, packetId: 2 }));
    const a = await s.expect('publish');
    expect((await settle(s)).filter((x) => x.type === 'publish')).toEqual([]);
    s.send({ type: 'pubrec', packetId: a.packetId! });
    await s.expect('pubrel');
    expect((await settle(s)).filter((x) => x.type === 'publish')).toEqual([]);
    s.send({ type: 'pubcomp', packetId: a.packetId! });
    expect((await s.expect('publish')).payload.toString()).toBe('b');
  });
});

describe('variant copyPerSubscription', () => {
  async function deliveries(variant: Variant | undefined): Promise<string[]> {
    const tb = await broker(variant);
    const s = await client(tb);
    await subscribe(s, ['o/+'], 1, { subscriptionIdentifiers: [1] });
    await subscribe(s, ['o/#'], 0, { subscriptionIdentifiers: [2] });
    const p = await client(tb);
    p.send(publish('o/x', 'hi', { qos: 1, packetId: 1 }));
    await p.expect('puback');
    await s.expect('publish').then((x) => s.received.unshift(x));
    const got = (await settle(s)).filter((x): x is PublishPacket => x.type === 'publish');
    return got
      .map((x) => `qos${x.qos} ids=${[...(x.properties?.subscriptionIdentifiers ?? [])].sort().join(',')}`)
      .sort();
  }

  it('default: one copy at the highest QoS with every subscription identifier', async () => {
    expect(await deliveries(undefined)).toEqual(['qos1 ids=1,2']);
  });

  it('variant: one copy per matching subscription, each with its own QoS and identifier', async () => {
    expect(await deliveries({ copyPerSubscription: true })).toEqual(['qos0 ids=2', 'qos1 ids=1']);
  });

  it('variant: 3.1.1 overlapping subscriptions get two copies', async () => {
    const tb = await broker({ copyPerSubscription: true });
    const s = await client(tb, 4);
    await subscribe(s, ['o4/+', 'o4/#'], 0);
    const p = await client(tb, 4);
    p.send(publish('o4/x', 'hi'));
    await s.expect('publish').then((x) => s.received.unshift(x));
    expect((await settle(s)).filter((x) => x.type === 'publish')).toHaveLength(2);
  });
});

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

describe('variant omitDefaultProperties', () => {
  async function forwarded(variant: Variant | undefined): Promise<unknown[]> {
    const tb = await broker(variant);
    const s = await client(tb);
    await subscribe(s, ['pfi/#']);
    const p = await client(tb);
    p.send(publish('pfi/0', 'a', { properties: { payloadFormatIndicator: 0 } }));
    p.send(publish('pfi/1', 'b', { properties: { payloadFormatIndicator: 1, contentType: 'text/plain' } }));
    p.send(publish('pfi/2', 'c', { properties: { payloadFormatIndicator: 0, contentType: 'x' } }));
    const out: unknown[] = [];
    for (let i = 0; i < 3; i++) out.push((await s.expect('publish')).properties);
    return out;
  }

  it('default forwards Payload Format Indicator 0; the variant forwards it absent and keeps 1', async () => {
    expect(await forwarded(undefined)).toEqual([
      { payloadFormatIndicator: 0 },
      { payloadFormatIndicator: 1, contentType: 'text/plain' },
      { payloadFormatIndicator: 0, contentType: 'x' },
    ]);
    const v = await forwarded({ omitDefaultProperties: true });
    expect(v[0] === undefined || (v[0] as Record<string, unknown>).payloadFormatIndicator === undefined).toBe(true);
    expect(v.slice(1)).toEqual([{ payloadFormatIndicator: 1, contentType: 'text/plain' }, { contentType: 'x' }]);
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

describe('variant config', () => {
  it('accepts every switch and rejects an unknown one by name', () => {
    const cfg = parseConfig('variant:\n  oneMessageInFlight: true\n  copyPerSubscription: true\n', 'v.yaml');
    expect(cfg.variant).toEqual({ oneMessageInFlight: true, copyPerSubscription: true });
    expect(() => parseConfig('variant:\n  oneMessageInFlite: true\n', 'v.yaml')).toThrow(
      /variant\.oneMessageInFlite: unknown key/,
    );
    expect(() => parseConfig('variant:\n  copyPerSubscription: 1\n', 'v.yaml')).toThrow(
      /variant\.copyPerSubscription: expected true or false/,
    );
  });

  it('scenarios/embedded/different.yaml turns every switch on', () => {
    const cfg = loadConfigFile(join(import.meta.dirname, '../../scenarios/embedded/different.yaml'));
    const all = Object.fromEntries(Object.keys(resolveVariant()).map((k) => [k, true]));
    expect(cfg.variant).toEqual(all);
  });
});
