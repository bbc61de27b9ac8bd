/**
 * kill -9 the broker (FilePersistence) with a persistent offline subscriber, queued QoS 1/2
 * messages, a half-finished inbound QoS 2 and retained messages; restart on the same dir.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { withTimeout } from '../../src/common/index.ts';
import { RawClient } from './raw-client.ts';

const dir = mkdtempSync(join(tmpdir(), 'mqtt-harness-crash-'));
const children: ChildProcess[] = [];
const raws: RawClient[] = [];
afterAll(() => {
  children.forEach((c) => c.kill('SIGKILL'));
  raws.forEach((r) => r.end());
  rmSync(dir, { recursive: true, force: true });
});

async function startChild(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'fixtures/persistent-broker.ts'), dir],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  const port = await withTimeout(
    new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /PORT (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`broker child exited with ${code}`)));
    }),
    20_000,
    'child broker port',
  );
  return { child, port };
}

const open = async (port: number) => {
  const c = await RawClient.open(port, 5);
  raws.push(c);
  return c;
};
const persistent = { clean: false, properties: { sessionExpiryInterval: 3600 } };

it('recovers subscriptions, queued messages, half-done QoS 2 and retained after kill -9', async () => {
  let { child, port } = await startChild();
  const sub = await open(port);
  expect((await sub.connect('crash-sub', persistent)).reasonCode).toBe(0);
  sub.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'crash/#', qos: 2 }] });
  expect((await sub.expect('suback')).reasonCodes).toEqual([2]);
  sub.send({ type: 'disconnect', reasonCode: 0 });
  await sub.waitClosed();

  const pub = await open(port);
  await pub.connect('crash-pub', persistent);
  pub.send({
    type: 'publish',
    topic: 'crash/q1',
    payload: Buffer.from('one'),
    qos: 1,
    retain: false,
    dup: false,
    packetId: 1,
  });
  await pub.expect('puback');
  pub.send({
    type: 'publish',
    topic: 'crash/q2',
    payload: Buffer.from('two'),
    qos: 2,
    retain: false,
    dup: false,
    packetId: 2,
  });
  await pub.expect('pubrec');
  pub.send({ type: 'pubrel', packetId: 2 });
  await pub.expect('pubcomp');
  pub.send({
    type: 'publish',
    topic: 'crash/ret',
    payload: Buffer.from('kept'),
    qos: 1,
    retain: true,
    dup: false,
    packetId: 3,
  });
  await pub.expect('puback');
  pub.send({
    type: 'publish',
    topic: 'crash/half',
    payload: Buffer.from('half'),
    qos: 2,
    retain: false,
    dup: false,
    packetId: 4,
  });
  await pub.expect('pubrec'); // no PUBREL before the crash

  child.kill('SIGKILL');
  await pub.waitClosed(5000);
  ({ child, port } = await startChild());

  const pub2 = await open(port);
  expect((await pub2.connect('crash-pub', persistent)).sessionPresent).toBe(true);
  pub2.send({ type: 'pubrel', packetId: 4 });
  expect((await pub2.expect('pubcomp')).reasonCode).toBe(0); // the id survived the crash

  const sub2 = await open(port);
  const ack = await sub2.connect('crash-sub', persistent);
  expect(ack.sessionPresent).toBe(true);
  const got: string[] = [];
  for (let i = 0; i < 4; i++) {
    const p = await sub2.expect('publish');
    got.push(`${p.topic}=${p.payload.toString()}`);
    if (p.qos === 1) sub2.send({ type: 'puback', packetId: p.packetId! });
    if (p.qos === 2) {
      sub2.send({ type: 'pubrec', packetId: p.packetId! });
      await sub2.expect('pubrel');
      sub2.send({ type: 'pubcomp', packetId: p.packetId! });
    }
  }
  expect(got.sort()).toEqual(['crash/half=half', 'crash/q1=one', 'crash/q2=two', 'crash/ret=kept']);
  // Subscription survived: a new publish still reaches the session, and nothing is duplicated.
  pub2.send({
    type: 'publish',
    topic: 'crash/after',
    payload: Buffer.from('after'),
    qos: 0,
    retain: false,
    dup: false,
  });
  const next = await sub2.expect('publish');
  expect(`${next.topic}=${next.payload.toString()}`).toBe('crash/after=after');
  await sub2.barrier();
  expect(sub2.received.filter((p) => p.type === 'publish')).toEqual([]);

  const fresh = await open(port);
  await fresh.connect('crash-fresh');
  fresh.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: 'crash/ret', qos: 1 }] });
  await fresh.expect('suback');
  const r = await fresh.expect('publish');
  expect([r.topic, r.payload.toString(), r.retain]).toEqual(['crash/ret', 'kept', true]);
  child.kill('SIGKILL');
}, 60_000);
