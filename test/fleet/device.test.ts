import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker } from '../../src/broker/start-broker.ts';
import { createProxy, type Proxy } from '../../src/proxy/index.ts';
import { HistoryRecorder, checkAll, formatResult } from '../../src/checker/index.ts';
import { createRng, systemClock, withTimeout, sleep } from '../../src/common/index.ts';
import { Device } from '../../src/fleet/index.ts';

let broker: Awaited<ReturnType<typeof startBroker>>;
beforeAll(async () => {
  broker = await startBroker({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await broker?.close();
});

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  await withTimeout(
    (async () => {
      while (!cond()) await sleep(20);
    })(),
    ms,
    what,
  );
}

describe('Device against the embedded broker', () => {
  it('publishes QoS 0/1/2 and the checkers accept the history', async () => {
    const rec = new HistoryRecorder(systemClock);
    const sub = new Device({
      clientId: 'dev-sub-1',
      url: broker.url,
      recorder: rec,
      persistent: true,
      rng: createRng(1),
    });
    const pub = new Device({ clientId: 'dev-pub-1', url: broker.url, recorder: rec, rng: createRng(2) });
    try {
      expect(await sub.start()).toBe(true);
      expect(await sub.subscribe([{ filter: 'dt/1/#', qos: 2 }])).toBe(true);
      expect(await pub.start()).toBe(true);
      const outcomes = await Promise.all(
        Array.from({ length: 30 }, (_, i) => pub.publish(`dt/1/q${i % 3}`, (i % 3) as 0 | 1 | 2)),
      );
      expect(outcomes.filter((o) => o === 'ok')).toHaveLength(20);
      await until(() => sub.received >= 30, 5000, '30 receipts');
      await pub.disconnect();
      await sub.disconnect();
    } finally {
      pub.close();
      sub.close();
    }
    rec.finish();
    const results = checkAll(rec.history);
    expect(results.filter((r) => r.valid === false).map(formatResult)).toEqual([]);
    const q1 = results.find((r) => r.checker === 'qos1-at-least-once')!;
    expect(q1.checked).toBe(10);
  });
});

describe('Device through a faulty proxy', () => {
  let proxy: Proxy;
  beforeAll(async () => {
    proxy = await createProxy({ upstream: broker.url, seed: 7 });
  });
  afterAll(async () => {
    await proxy?.close();
  });

  it('survives lost PUBACKs by reconnecting and resending with DUP', async () => {
    const rec = new HistoryRecorder(systemClock);
    proxy.onFault((ev) => rec.fault({ ...ev, link: String(ev.link ?? '') }));
    proxy.addToxic({
      type: 'mqtt_drop',
      name: 'lose-pubacks',
      stream: 'downstream',
      attributes: { packet_type: 'puback', client_id: 'dev-pub-2', for_ms: 600 },
    });
    const sub = new Device({ clientId: 'dev-sub-2', url: broker.url, recorder: rec, persistent: true });
    const pub = new Device({
      clientId: 'dev-pub-2',
      url: proxy.url,
      recorder: rec,
      persistent: true,
      ackTimeoutMs: 300,
      backoff: { initialMs: 20, maxMs: 100 },
    });
    try {
      await sub.start();
      await sub.subscribe([{ filter: 'dt/2/#', qos: 1 }]);
      await pub.start();
      const outcomes = await withTimeout(
        Promise.all(Array.from({ length: 20 }, () => pub.publish('dt/2/t', 1))),
        8000,
        'publishes',
      );
      expect(
        outcomes.every((o) => o === 'ok'),
        rec.history
          .filter((o) => (o.process === 'dev-pub-2' && o.f !== 'publish') || o.type === 'info')
          .map((o) => JSON.stringify(o))
          .join('\n'),
      ).toBe(true);
      expect(pub.drops).toBeGreaterThan(0);
      await until(() => sub.received >= 20, 5000, 'receipts');
      await sleep(100);
      await pub.disconnect();
      await sub.disconnect();
    } finally {
      pub.close();
      sub.close();
    }
    rec.finish();
    expect(rec.history.some((o) => o.f === 'fault')).toBe(true);
    expect(
      rec.history.some((o) => o.f === 'receive' && o.value.dup === true) ||
        rec.history.filter((o) => o.f === 'receive').length > 20,
    ).toBe(true);
    const bad = checkAll(rec.history).filter((r) => r.valid === false);
    expect(bad.map(formatResult)).toEqual([]);
  });
});
