/** limits.maxKeepAlive (mosquitto max_keepalive): caps long or absent 5.0 keep alives, leaves short ones. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverKeepAliveFor } from '../../src/broker/connect-accept.ts';
import { ManualScheduler } from '../../src/common/index.ts';
import { startTestBroker, type TestBroker } from './helpers.ts';
import { RawClient } from './raw-client.ts';

describe('serverKeepAliveFor', () => {
  it('caps more and 0, leaves less, and yields to capabilities.serverKeepAlive', () => {
    expect(serverKeepAliveFor(undefined, 60, 600)).toBe(60);
    expect(serverKeepAliveFor(undefined, 60, 0)).toBe(60);
    expect(serverKeepAliveFor(undefined, 60, 60)).toBeUndefined();
    expect(serverKeepAliveFor(undefined, 60, 10)).toBeUndefined();
    expect(serverKeepAliveFor(undefined, undefined, 0)).toBeUndefined();
    expect(serverKeepAliveFor(30, 60, 10)).toBe(30);
  });
});

describe('limits.maxKeepAlive in the broker', () => {
  let tb: TestBroker;
  const scheduler = new ManualScheduler(1_000);
  const raws: RawClient[] = [];
  beforeAll(async () => {
    tb = await startTestBroker({ scheduler, limits: { maxKeepAlive: 2 } });
  });
  afterAll(async () => {
    raws.forEach((r) => r.end());
    await tb.close();
  });
  const open = async (id: string, keepAlive: number, level: 4 | 5 = 5) => {
    const c = await RawClient.open(tb.port, level);
    raws.push(c);
    const ack = await c.connect(id, { keepAlive });
    return { c, ack };
  };

  it('tells 5.0 clients asking for 0 or more the cap, and enforces it; a shorter one is kept', async () => {
    const none = await open('mk-0', 0);
    const long = await open('mk-100', 100);
    const short = await open('mk-1', 1);
    const old = await open('mk-311', 100, 4);
    expect(none.ack.properties?.serverKeepAlive).toBe(2);
    expect(long.ack.properties?.serverKeepAlive).toBe(2);
    expect(short.ack.properties?.serverKeepAlive).toBeUndefined();
    scheduler.advance(1_750); // 1.5 x 1 s, plus a sweep: only the short one is over its keep alive
    expect((await short.c.expect('disconnect')).reasonCode).toBe(0x8d);
    for (const x of [none.c, long.c, old.c]) await x.barrier(); // (each PINGREQ restarts its keep-alive clock)
    scheduler.advance(3_250); // 1.5 x the cap of 2 s, plus a sweep
    expect((await none.c.expect('disconnect')).reasonCode).toBe(0x8d);
    expect((await long.c.expect('disconnect')).reasonCode).toBe(0x8d);
    await old.c.barrier(); // 3.1.1 cannot be told a Server Keep Alive: its own 100 s stays in force
    expect(old.c.closed).toBe(false);
  });
});
