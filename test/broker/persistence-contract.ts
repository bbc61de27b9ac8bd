/** Shared contract for every Persistence adapter: run by one test file per adapter. */
import { describe, expect, it } from 'vitest';
import { OutState, type Message, type Outgoing } from '../../src/broker/message.ts';
import type { Persistence, SessionRecord } from '../../src/broker/persistence.ts';

export interface AdapterFactory {
  /** A fresh, empty store. */
  create(): Promise<Persistence>;
  /** A store reopened on the same data (after close()). */
  reopen(p: Persistence): Promise<Persistence>;
}

const session = (clientId: string, extra: Partial<SessionRecord> = {}): SessionRecord => ({
  clientId,
  protocolLevel: 5,
  expiryInterval: 60,
  subscriptions: [
    { filter: 'a/+', qos: 1 },
    { filter: '$share/g/b/#', qos: 2, subscriptionId: 7, noLocal: false, retainHandling: 2 },
  ],
  ...extra,
});
const message = (topic: string, extra: Partial<Message> = {}): Message => ({
  topic,
  payload: Buffer.from([0, 1, 2, 255]),
  qos: 2,
  retain: false,
  properties: {
    correlationData: Buffer.from('corr'),
    userProperties: [
      ['k', 'v'],
      ['k', 'v2'],
    ],
    contentType: 'x/y',
  },
  expiresAt: 123456,
  publisher: 'pub',
  ...extra,
});
const outgoing = (seq: number, extra: Partial<Outgoing> = {}): Outgoing => ({
  seq,
  msg: message(`t/${seq}`),
  qos: 1,
  retain: false,
  packetId: 0,
  state: OutState.Queued,
  sent: false,
  ...extra,
});

export function persistenceContract(name: string, factory: AdapterFactory): void {
  describe(`Persistence contract: ${name}`, () => {
    it('starts empty', async () => {
      const p = await factory.create();
      const s = await p.load();
      expect(s.sessions).toEqual([]);
      expect(s.retained).toEqual([]);
      expect(s.outbound.size).toBe(0);
      expect(s.inbound.size).toBe(0);
      await p.close();
    });

    it('round-trips sessions, outbound, inbound and retained across reopen', async () => {
      let p = await factory.create();
      await p.load();
      p.putSession(session('c1'));
      p.putSession(session('c2', { protocolLevel: 4, expiryInterval: 0xffffffff, subscriptions: [] }));
      p.putSession(session('c1', { disconnectedAt: 99 })); // replace
      p.putOutbound('c1', outgoing(1));
      p.putOutbound(
        'c1',
        outgoing(2, { qos: 2, packetId: 5, state: OutState.PublishSent, sent: true, subIds: [7, 9], retain: true }),
      );
      p.putOutbound('c1', outgoing(3));
      p.putOutbound(
        'c1',
        outgoing(2, { qos: 2, packetId: 5, state: OutState.PubrelSent, sent: true, subIds: [7, 9], retain: true }),
      );
      p.removeOutbound('c1', 1);
      p.addInbound('c1', 10);
      p.addInbound('c1', 11);
      p.removeInbound('c1', 10);
      p.setRetained(message('r/1'));
      p.setRetained(message('r/2', { properties: undefined, expiresAt: undefined, publisher: undefined, qos: 0 }));
      p.clearRetained('r/1');
      await p.sync();
      p = await factory.reopen(p);
      const s = await p.load();
      expect(s.sessions.sort((a, b) => a.clientId.localeCompare(b.clientId))).toEqual([
        session('c1', { disconnectedAt: 99 }),
        session('c2', { protocolLevel: 4, expiryInterval: 0xffffffff, subscriptions: [] }),
      ]);
      const out = s.outbound.get('c1')!;
      expect(out.map((o) => o.seq)).toEqual([2, 3]);
      expect(out[0]).toMatchObject({
        qos: 2,
        packetId: 5,
        state: OutState.PubrelSent,
        sent: true,
        subIds: [7, 9],
        retain: true,
      });
      expect(out[0].msg).toEqual(message('t/2'));
      expect(s.inbound.get('c1')).toEqual([11]);
      expect(s.retained).toEqual(
        [message('r/2', { properties: undefined, expiresAt: undefined, publisher: undefined, qos: 0 })].map(
          stripUndefined,
        ),
      );
      await p.close();
    });

    it('deleting a session removes its outbound and inbound state', async () => {
      let p = await factory.create();
      await p.load();
      p.putSession(session('gone'));
      p.putOutbound('gone', outgoing(1));
      p.addInbound('gone', 3);
      p.putSession(session('kept'));
      p.deleteSession('gone');
      await p.sync();
      p = await factory.reopen(p);
      const s = await p.load();
      expect(s.sessions.map((x) => x.clientId)).toEqual(['kept']);
      expect(s.outbound.has('gone')).toBe(false);
      expect(s.inbound.has('gone')).toBe(false);
      await p.close();
    });

    it('does not share mutable state with the caller', async () => {
      const p = await factory.create();
      await p.load();
      const o = outgoing(1);
      p.putOutbound('c', o);
      o.state = OutState.PubrelSent;
      const rec = session('c');
      p.putSession(rec);
      rec.subscriptions.push({ filter: 'x', qos: 0 });
      const s = await p.load();
      expect(s.outbound.get('c')![0].state).toBe(OutState.Queued);
      expect(s.sessions[0].subscriptions).toHaveLength(2);
      await p.close();
    });
  });
}

function stripUndefined<T extends object>(m: T): T {
  return Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined)) as T;
}
