import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  collect,
  connect,
  connectCollect,
  endAll,
  pub,
  quiet,
  startTestBroker,
  sub,
  type TestBroker,
} from './helpers.ts';

let tb: TestBroker;
beforeAll(async () => {
  tb = await startTestBroker();
});
afterEach(endAll);
afterAll(() => tb.close());

describe.each([4, 5] as const)('basics at protocol level %i', (protocolVersion) => {
  it('delivers QoS 0/1/2 with min(pub, granted) QoS', async () => {
    const s = await connect(tb, { protocolVersion });
    const grants = await sub(s, 'a/+', { qos: 1 });
    expect(grants[0].qos).toBe(1);
    const p = await connect(tb, { protocolVersion });
    const got = collect(s, 3);
    await pub(p, 'a/0', 'zero', { qos: 0 });
    await pub(p, 'a/1', 'one', { qos: 1 });
    await pub(p, 'a/2', 'two', { qos: 2 });
    const msgs = await got;
    expect(msgs.map((m) => [m.topic, m.payload, m.packet.qos])).toEqual([
      ['a/0', 'zero', 0],
      ['a/1', 'one', 1],
      ['a/2', 'two', 1],
    ]);
  });

  it('stores, replaces and clears retained messages', async () => {
    const p = await connect(tb, { protocolVersion });
    await pub(p, `r${protocolVersion}/x`, 'v1', { qos: 1, retain: true });
    await pub(p, `r${protocolVersion}/x`, 'v2', { qos: 1, retain: true });
    const s = await connect(tb, { protocolVersion });
    const got = collect(s, 1);
    await sub(s, `r${protocolVersion}/#`, { qos: 1 });
    const [m] = await got;
    expect(m.payload).toBe('v2');
    expect(m.packet.retain).toBe(true);
    await pub(p, `r${protocolVersion}/x`, '', { qos: 1, retain: true });
    const s2 = await connect(tb, { protocolVersion });
    await sub(s2, `r${protocolVersion}/#`, { qos: 1 });
    expect(await quiet(s2)).toEqual([]);
  });

  it('publishes the will on abnormal close, not on DISCONNECT', async () => {
    const s = await connect(tb, { protocolVersion });
    await sub(s, `will${protocolVersion}/#`, { qos: 1 });
    const w1 = await connect(tb, {
      protocolVersion,
      will: { topic: `will${protocolVersion}/a`, payload: Buffer.from('gone'), qos: 1, retain: false },
    });
    const w2 = await connect(tb, {
      protocolVersion,
      will: { topic: `will${protocolVersion}/b`, payload: Buffer.from('gone'), qos: 1, retain: false },
    });
    await new Promise<void>((r) => w2.end(false, {}, () => r()));
    const got = collect(s, 1);
    (w1 as unknown as { stream: { destroy(): void } }).stream.destroy();
    const [m] = await got;
    expect(m.topic).toBe(`will${protocolVersion}/a`);
    expect(await quiet(s)).toEqual([]);
  });

  it('keeps a persistent session and queues QoS 1 while offline', async () => {
    const id = `persist-${protocolVersion}`;
    const extra = protocolVersion === 5 ? { properties: { sessionExpiryInterval: 60 } } : {};
    const s = await connect(tb, { protocolVersion, clientId: id, clean: false, ...extra });
    await sub(s, `q${protocolVersion}/t`, { qos: 1 });
    await new Promise<void>((r) => s.end(false, {}, () => r()));
    const p = await connect(tb, { protocolVersion });
    await pub(p, `q${protocolVersion}/t`, 'queued', { qos: 1 });
    const { messages } = await connectCollect(tb, { protocolVersion, clientId: id, clean: false, ...extra }, 1);
    const [m] = await messages;
    expect(m.payload).toBe('queued');
  });
});
