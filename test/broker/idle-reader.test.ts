import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualScheduler } from '../../src/common/index.ts';
import { startTestBroker, type TestBroker } from './helpers.ts';
import { RawClient } from './raw-client.ts';

/**
 * An idle connected client's packet reader is released by the broker's shared sweep (to keep
 * idle connections small) and rebuilt on the next byte: it must come back at the negotiated
 * protocol level, and a packet split across the idle spell must still be framed.
 */
let tb: TestBroker;
const scheduler = new ManualScheduler(1_000);
const raws: RawClient[] = [];
beforeAll(async () => {
  tb = await startTestBroker({ scheduler });
});
afterAll(async () => {
  raws.forEach((r) => r.end());
  await tb.close();
});

/** An idle spell on the broker's clock; the barrier first makes sure the broker has read everything sent. */
const idle = async (c: RawClient) => {
  await c.barrier();
  scheduler.advance(1600);
};

describe('idle connections', () => {
  for (const level of [4, 5] as const) {
    it(`keep working after an idle spell (level ${level})`, async () => {
      const c = await RawClient.open(tb.port, level);
      raws.push(c);
      await c.connect(`idle-${level}`, { keepAlive: 0 });
      c.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: `idle/${level}`, qos: 1 }] });
      await c.expect('suback');
      await idle(c);
      c.send({
        type: 'publish',
        topic: `idle/${level}`,
        payload: Buffer.from('after'),
        qos: 1,
        packetId: 7,
        retain: false,
        dup: false,
      });
      expect((await c.expect('puback')).packetId).toBe(7);
      const p = await c.expect('publish');
      expect(p.payload.toString()).toBe('after');
      c.send({ type: 'pingreq' });
      await c.expect('pingresp');
    });
  }

  it('frames a packet whose first byte came before the idle spell', async () => {
    const c = await RawClient.open(tb.port, 5);
    raws.push(c);
    await c.connect('idle-split', { keepAlive: 0 });
    await c.barrier();
    c.sendRaw(Buffer.from([0xc0])); // PINGREQ, first byte only
    await new Promise((r) => setTimeout(r, 20)); // let the broker read that byte
    scheduler.advance(1600);
    c.sendRaw(Buffer.from([0x00]));
    await c.expect('pingresp');
  });
});
