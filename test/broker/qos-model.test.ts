/**
 * Model-based test (fast-check commands) of the outbound in-flight machine across
 * disconnects: nothing lost or completed twice, window respected, packet ids unique and
 * non-zero, first sends in submission order, resends in original order with DUP.
 *
 * The window is 5.0's send quota (4.9): PUBLISHes sent on the current connection and not yet
 * finished (PUBACK, PUBCOMP, or a PUBREC error). The quota is not kept across connections, so a
 * PUBREL resent after a reconnect uses none, and a new PUBLISH may then be in flight beside it.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { OutState, type Outgoing } from '../../src/broker/message.ts';
import { OutboundQos } from '../../src/broker/outbound-qos.ts';
import { InboundQos } from '../../src/broker/inbound-qos.ts';

interface Model {
  online: boolean;
  submitted: number[];
  done: Set<number>;
  firstSent: number[];
  receiveMaximum: number;
  /** Sequence numbers whose PUBLISH went out on the current connection and is not finished. */
  quota: Set<number>;
}
interface Real {
  q: OutboundQos;
}

const send = (m: Model, list: Outgoing[]) => {
  for (const o of list) {
    if (!o.sent) m.firstSent.push(o.seq);
    o.sent = true;
    m.quota.add(o.seq);
  }
};

const finish = (m: Model, seq: number) => {
  m.done.add(seq);
  m.quota.delete(seq);
};

const check = (m: Model, r: Real) => {
  const live = r.q.all().map((o) => o.seq);
  expect(new Set([...live, ...m.done]).size).toBe(m.submitted.length); // nothing lost, nothing duplicated
  expect(live.filter((s) => m.done.has(s))).toEqual([]);
  expect(m.quota.size).toBeLessThanOrEqual(m.receiveMaximum);
  expect([...r.q.inflight.values()].filter((o) => o.state === OutState.PublishSent).length).toBeLessThanOrEqual(
    m.receiveMaximum,
  );
  const ids = [...r.q.inflight.keys()];
  expect(ids.every((id) => id > 0 && id <= 65535)).toBe(true);
  expect(m.firstSent).toEqual([...m.firstSent].sort((a, b) => a - b)); // 4.6.0-1 order
};

class Publish implements fc.Command<Model, Real> {
  constructor(readonly qos: 1 | 2) {}
  check = () => true;
  run(m: Model, r: Real) {
    const o: Outgoing = {
      seq: r.q.newSeq(),
      msg: { topic: 't', payload: Buffer.alloc(0), qos: this.qos, retain: false },
      qos: this.qos,
      retain: false,
      packetId: 0,
      state: OutState.Queued,
      sent: false,
    };
    m.submitted.push(o.seq);
    const ready = r.q.submit(o, m.online);
    if (ready) send(m, [ready]);
    check(m, r);
  }
  toString = () => `Publish(${this.qos})`;
}

class Ack implements fc.Command<Model, Real> {
  constructor(
    readonly pick: number,
    readonly error: boolean,
  ) {}
  check = (m: Model) => m.online;
  run(m: Model, r: Real) {
    const list = [...r.q.inflight.values()];
    if (list.length === 0) return;
    const o = list[this.pick % list.length];
    if (o.qos === 1) {
      const res = r.q.puback(o.packetId, 0);
      expect(res.known).toBe(true);
      finish(m, o.seq);
      send(m, res.release);
    } else if (o.state === OutState.PublishSent) {
      const res = r.q.pubrec(o.packetId, this.error ? 0x80 : 0, 0);
      expect(res.known).toBe(true);
      expect(res.sendPubrel).toBe(!this.error);
      if (this.error) finish(m, o.seq);
      send(m, res.release);
    } else {
      expect(r.q.pubrec(o.packetId, 0, 0).sendPubrel).toBe(true); // duplicate PUBREC: PUBREL again
      const res = r.q.pubcomp(o.packetId, 0);
      expect(res.known).toBe(true);
      finish(m, o.seq);
      send(m, res.release);
    }
    check(m, r);
  }
  toString = () => `Ack(${this.pick},${this.error})`;
}

class Disconnect implements fc.Command<Model, Real> {
  check = (m: Model) => m.online;
  run(m: Model, r: Real) {
    m.online = false;
    check(m, r);
  }
  toString = () => 'Disconnect';
}

class Reconnect implements fc.Command<Model, Real> {
  check = (m: Model) => !m.online;
  run(m: Model, r: Real) {
    m.online = true;
    const before = [...r.q.inflight.values()].map((o) => o.seq);
    const { resend, release } = r.q.resume(0);
    expect(resend.map((o) => o.seq)).toEqual(before); // 4.4.0-1: original order
    expect(resend.every((o) => o.sent)).toBe(true); // so they go out with DUP=1
    // A new connection: the quota starts again, used only by the PUBLISHes resent on it (4.9).
    m.quota = new Set(resend.filter((o) => o.state === OutState.PublishSent).map((o) => o.seq));
    send(m, release);
    check(m, r);
  }
  toString = () => 'Reconnect';
}

it('outbound QoS 1/2 window survives arbitrary acks and disconnects', () => {
  const cmds = [
    fc.constantFrom(1 as const, 2 as const).map((q) => new Publish(q)),
    fc.tuple(fc.nat(20), fc.boolean()).map(([p, e]) => new Ack(p, e)),
    fc.constant(new Disconnect()),
    fc.constant(new Reconnect()),
  ];
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 4 }), fc.commands(cmds, { maxCommands: 80 }), (rm, commands) => {
      const q = new OutboundQos(10_000);
      q.receiveMaximum = rm;
      const model: Model = {
        online: true,
        submitted: [],
        done: new Set(),
        firstSent: [],
        receiveMaximum: rm,
        quota: new Set(),
      };
      fc.modelRun(() => ({ model, real: { q } }), commands);
    }),
    { numRuns: Number(process.env.QOS_MODEL_RUNS ?? 200) },
  );
});

it('inbound QoS 2 ids: a message is routed once per PUBLISH..PUBREL cycle', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 4 })), { maxLength: 60 }), (ops) => {
      const q = new InboundQos();
      const model = new Set<number>();
      for (const [isPublish, id] of ops) {
        if (isPublish) {
          expect(q.publish(id)).toBe(model.has(id) ? 'duplicate' : 'new');
          model.add(id);
        } else {
          expect(q.pubrel(id).known).toBe(model.delete(id));
        }
        expect(q.size).toBe(model.size);
      }
    }),
  );
});
