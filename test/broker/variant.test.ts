/**
 * The legal-but-different `variant` switches (issue 10): each test runs the same exchange against
 * the default broker and against the switch, and checks both answers, so a switch that does
 * nothing (or changes the default) fails.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PublishPacket } from '../../src/codec/index.ts';
import type { Variant } from '../../src/broker/index.ts';
import { join } from 'node:path';
import { loadConfigFile, parseConfig } from '../../src/broker/config/index.ts';
import { resolveVariant } from '../../src/broker/options.ts';
import { broker, client, closeAll, publish, settle, subscribe } from './variant-helpers.ts';

afterEach(closeAll);

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
