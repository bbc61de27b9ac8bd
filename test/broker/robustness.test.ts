import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRng, seedFromEnv, withTimeout } from '../../src/common/index.ts';
import { MemoryLogger } from '../../src/broker/index.ts';
import { startTestBroker, type TestBroker } from './helpers.ts';
import { RawClient } from './raw-client.ts';

let tb: TestBroker;
const logger = new MemoryLogger();
const raws: RawClient[] = [];
beforeAll(async () => {
  tb = await startTestBroker({
    logger,
    authorizer: {
      authorize: (_c, _a, topic) => {
        if (topic === 'boom') throw new Error('authorizer bug');
        return true;
      },
    },
  });
});
afterAll(async () => {
  raws.forEach((r) => r.end());
  await tb.close();
});

it('a handler exception closes only that connection (0x83)', async () => {
  const by = await RawClient.open(tb.port, 5);
  raws.push(by);
  await by.connect('bystander');
  const c = await RawClient.open(tb.port, 5);
  raws.push(c);
  await c.connect('buggy');
  c.send({ type: 'publish', topic: 'boom', payload: Buffer.from('x'), qos: 0, retain: false, dup: false });
  expect((await c.expect('disconnect')).reasonCode).toBe(0x83);
  by.send({ type: 'pingreq' });
  await by.expect('pingresp');
  expect(logger.records.some((r) => r.level === 'error' && r.msg.includes('handler failed'))).toBe(true);
});

it('survives random bytes after a valid CONNECT', async () => {
  const seed = seedFromEnv();
  const rng = createRng(seed);
  const by = await RawClient.open(tb.port, 4);
  raws.push(by);
  await by.connect('fuzz-bystander');
  for (let i = 0; i < 60; i++) {
    const c = await RawClient.open(tb.port, rng.chance(0.5) ? 5 : 4);
    raws.push(c);
    await c.connect(`fuzz-${i}`);
    const junk = Buffer.from(Array.from({ length: rng.int(1, 64) }, () => rng.int(0, 255)));
    c.sendRaw(junk);
    c.socket.end();
    await withTimeout(
      new Promise<void>((r) => (c.closed ? r() : c.socket.once('close', () => r()))),
      3000,
      `close after junk (seed ${seed})`,
    );
  }
  by.send({ type: 'pingreq' });
  await by.expect('pingresp');
  const probe = net.connect(tb.port, '127.0.0.1');
  await withTimeout(new Promise((r) => probe.once('connect', r)), 2000, 'broker still accepting');
  probe.destroy();
});
