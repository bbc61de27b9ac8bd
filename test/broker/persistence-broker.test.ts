import { afterAll, expect, it } from 'vitest';
import { MemoryPersistence } from '../../src/broker/index.ts';
import { startTestBroker, type TestBroker } from './helpers.ts';
import { RawClient } from './raw-client.ts';

const brokers: TestBroker[] = [];
const raws: RawClient[] = [];
afterAll(async () => {
  raws.forEach((r) => r.end());
  await Promise.all(brokers.map((b) => b.close()));
});
const open = async (tb: TestBroker, level: 4 | 5 = 5) => {
  const c = await RawClient.open(tb.port, level);
  raws.push(c);
  return c;
};

/** A durable-looking adapter whose sync() only completes when the test says so. */
class GatedPersistence extends MemoryPersistence {
  override readonly durable = true as unknown as false;
  gates: (() => void)[] = [];
  open = false;
  override sync(): Promise<void> {
    return this.open ? Promise.resolve() : new Promise((r) => this.gates.push(r));
  }
}

it('acknowledges QoS 1/2 only after a durable sync completes', async () => {
  const p = new GatedPersistence();
  const tb = await startTestBroker({ persistence: p });
  brokers.push(tb);
  const c = await open(tb);
  await c.connect('gated');
  c.send({ type: 'publish', topic: 'g/t', payload: Buffer.from('x'), qos: 1, retain: false, dup: false, packetId: 1 });
  c.send({ type: 'publish', topic: 'g/t', payload: Buffer.from('y'), qos: 2, retain: false, dup: false, packetId: 2 });
  await c.barrier(); // both PUBLISHes handled: their acks wait at the gates
  expect(p.gates.length).toBeGreaterThan(0);
  expect(c.received.map((x) => x.type)).toEqual([]);
  p.open = true;
  p.gates.splice(0).forEach((g) => g());
  await c.expect('puback');
  await c.expect('pubrec');
});

it('restores sessions and retained messages when a broker restarts on the same persistence', async () => {
  const p = new MemoryPersistence();
  const tb1 = await startTestBroker({ persistence: p });
  brokers.push(tb1);
  const s = await open(tb1, 4);
  await s.connect('restart-sub', { clean: false });
  s.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'rs/#', qos: 1 }] });
  await s.expect('suback');
  s.end();
  await s.waitClosed();
  const pub = await open(tb1, 4);
  await pub.connect('restart-pub');
  pub.send({
    type: 'publish',
    topic: 'rs/ret',
    payload: Buffer.from('r'),
    qos: 1,
    retain: true,
    dup: false,
    packetId: 1,
  });
  await pub.expect('puback');
  await tb1.close();

  const tb2 = await startTestBroker({ persistence: p });
  brokers.push(tb2);
  const s2 = await open(tb2, 4);
  expect((await s2.connect('restart-sub', { clean: false })).sessionPresent).toBe(true);
  const m = await s2.expect('publish');
  expect([m.topic, m.payload.toString(), m.retain]).toEqual(['rs/ret', 'r', false]);
  const fresh = await open(tb2, 4);
  await fresh.connect('restart-fresh');
  fresh.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'rs/ret', qos: 0 }] });
  await fresh.expect('suback');
  expect((await fresh.expect('publish')).retain).toBe(true);
});
