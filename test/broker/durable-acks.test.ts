/** Acks waiting for durable persistence: in order, one sync per batch, nothing acknowledged after a failed sync. */
import { describe, expect, it } from 'vitest';
import { DurableAcks } from '../../src/broker/durable-acks.ts';
import type { Conn } from '../../src/broker/conn-api.ts';
import { MemoryLogger } from '../../src/broker/index.ts';

function fakeConn() {
  const syncs: { resolve: () => void; reject: (e: Error) => void }[] = [];
  const sent: string[] = [];
  const c = {
    pendingAcks: 0,
    clientId: 'c',
    ctx: { logger: new MemoryLogger() },
    // The core's durable wait (ConnCore.afterDurable): one sync requested per call.
    afterDurable: (run: () => void, failed: (e: unknown) => void) =>
      void new Promise<void>((resolve, reject) => syncs.push({ resolve, reject })).then(run, failed),
    sendAck: (type: string, id: number) => sent.push(`${type} ${id}`),
    disconnect: (rc: number) => sent.push(`disconnect 0x${rc.toString(16)}`),
  };
  return { c, syncs, sent, conn: c as unknown as Conn };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('DurableAcks', () => {
  it('sends each batch in arrival order after its sync, with one sync per batch', async () => {
    const { c, syncs, sent, conn } = fakeConn();
    const d = new DurableAcks(conn);
    d.puback(1);
    d.pubrec(2); // the same turn: the same batch
    expect([syncs.length, c.pendingAcks, sent]).toEqual([0, 2, []]);
    await tick();
    expect(syncs.length).toBe(1);
    d.puback(3); // arrives while the first sync runs: waits for the next one
    d.after(() => sent.push('suback'));
    expect(syncs.length).toBe(1);
    syncs[0].resolve();
    await tick();
    expect(sent).toEqual(['puback 1', 'pubrec 2']);
    expect([syncs.length, c.pendingAcks]).toEqual([2, 2]);
    syncs[1].resolve();
    await tick();
    expect(sent).toEqual(['puback 1', 'pubrec 2', 'puback 3', 'suback']);
    expect(c.pendingAcks).toBe(0);
    d.puback(65535);
    await tick();
    syncs[2].resolve();
    await tick();
    expect(sent.at(-1)).toBe('puback 65535');
  });

  it('acknowledges nothing after a failed sync and closes with 0x80', async () => {
    const { c, syncs, sent, conn } = fakeConn();
    const d = new DurableAcks(conn);
    d.puback(1);
    d.puback(2);
    await tick();
    syncs[0].reject(new Error('disk gone'));
    await tick();
    expect(sent).toEqual(['disconnect 0x80']);
    expect(c.pendingAcks).toBe(0);
  });
});
