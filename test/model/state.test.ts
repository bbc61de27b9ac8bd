import { describe, expect, it } from 'vitest';
import { checkHistory, modelStatements } from '../../src/model/index.ts';
import { findStatement } from '../../src/spec/index.ts';
import { H } from './history-builder.ts';

const ids = (h: ReturnType<H['end']>, version: '3.1.1' | '5.0' = '3.1.1'): string[] => [
  ...new Set(checkHistory(h, { version }).flatMap((f) => f.statements.map((s) => s.id))),
];

describe('model: retained messages', () => {
  for (const version of ['3.1.1', '5.0'] as const) {
    it(`${version}: the latest retained message is sent on subscribe with RETAIN 1, at min(QoS, granted)`, () => {
      const h = new H();
      const p = h.connect('p');
      const s = h.connect('s');
      h.pub(p, 'r1', 'a', 2, { retain: true })
        .pub(p, 'r2', 'a', 2, { retain: true })
        .sub(s, '#', 1)
        .recv(s, 'r2', 'a', 1, { retain: true });
      expect(ids(h.end(), version)).toEqual([]);
    });
    it(`${version}: a replaced retained message is not sent`, () => {
      const h = new H();
      const p = h.connect('p');
      const s = h.connect('s');
      h.pub(p, 'r1', 'a', 1, { retain: true })
        .pub(p, 'r2', 'a', 1, { retain: true })
        .sub(s, 'a', 1)
        .recv(s, 'r1', 'a', 1, { retain: true });
      expect(ids(h.end(), version)).toContain('MQTT-3.3.1-5');
    });
    it(`${version}: an empty retained PUBLISH clears: nothing is sent on subscribe`, () => {
      const h = new H();
      const p = h.connect('p');
      const s = h.connect('s');
      h.pub(p, 'r1', 'a', 1, { retain: true }).pub(p, 'e1', 'a', 0, { retain: true, empty: true }).sub(s, 'a', 1);
      expect(ids(h.events.slice(), version)).toEqual([]);
      h.recv(s, 'r1', 'a', 1, { retain: true });
      expect(ids(h.end(), version).length).toBeGreaterThan(0);
    });
    it(`${version}: a missing retained QoS 1 message is a finding; a missing retained QoS 0 one is allowed (MAY discard)`, () => {
      const h = new H();
      const p = h.connect('p');
      const s = h.connect('s');
      h.pub(p, 'r1', 'a', 1, { retain: true }).sub(s, 'a', 1);
      expect(ids(h.end(), version)).toContain(version === '3.1.1' ? 'MQTT-3.3.1-6' : 'MQTT-3.3.1-9');
      const q0 = new H();
      const p0 = q0.connect('p');
      const s0 = q0.connect('s');
      q0.pub(p0, 'r1', 'a', 0, { retain: true }).sub(s0, 'a', 1);
      expect(ids(q0.end(), version)).toEqual([]);
    });
    it(`${version}: a retained message sent for a new subscription without RETAIN 1 is a finding`, () => {
      const h = new H();
      const p = h.connect('p');
      const s = h.connect('s');
      h.pub(p, 'r1', 'a', 1, { retain: true }).sub(s, 'a', 1).recv(s, 'r1', 'a', 1);
      expect(ids(h.end(), version)).toContain(version === '3.1.1' ? 'MQTT-3.3.1-8' : 'MQTT-3.3.1-9');
    });
  }
  it('5.0: Retain Handling 2 sends nothing; 1 sends only for a new subscription', () => {
    const h = new H();
    const p = h.connect('p');
    const s = h.connect('s');
    h.pub(p, 'r1', 'a', 1, { retain: true })
      .sub(s, 'a', 1, { retainHandling: 2 })
      .recv(s, 'r1', 'a', 1, { retain: true });
    expect(ids(h.end(), '5.0')).toEqual(['MQTT-3.3.1-11']);
    const h1 = new H();
    const p1 = h1.connect('p');
    const s1 = h1.connect('s');
    h1.pub(p1, 'r1', 'a', 1, { retain: true })
      .sub(s1, 'a', 1, { retainHandling: 1 })
      .recv(s1, 'r1', 'a', 1, { retain: true })
      .sub(s1, 'a', 1, { retainHandling: 1 });
    expect(ids(h1.events.slice(), '5.0')).toEqual([]);
    h1.recv(s1, 'r1', 'a', 1, { retain: true, pid: 2 });
    expect(ids(h1.end(), '5.0')).toEqual(['MQTT-3.3.1-10']);
  });
  it('3.1.1: re-subscribing re-sends the retained message (MQTT-3.8.4-3)', () => {
    const h = new H();
    const p = h.connect('p');
    const s = h.connect('s');
    h.pub(p, 'r1', 'a', 1, { retain: true }).sub(s, 'a', 1).recv(s, 'r1', 'a', 1, { retain: true }).sub(s, 'a', 1);
    expect(ids(h.end())).toEqual(['MQTT-3.8.4-3']);
  });
});

describe('model: sessions', () => {
  it('3.1.1: an offline persistent session gets its QoS 1 messages on resumption; Session Present is 1', () => {
    const h = new H();
    let s = h.connect('s', { clean: false });
    const p = h.connect('p');
    h.sub(s, 'a', 1).disconnect(s).pub(p, 'm1', 'a', 1);
    s = h.connect('s', { clean: false, sp: true });
    h.recv(s, 'm1', 'a', 1);
    expect(ids(h.end())).toEqual([]);
  });
  it('3.1.1: a lost offline message and a wrong Session Present are findings', () => {
    const h = new H();
    const s = h.connect('s', { clean: false });
    const p = h.connect('p');
    h.sub(s, 'a', 1).disconnect(s).pub(p, 'm1', 'a', 1);
    h.connect('s', { clean: false, sp: false });
    expect(ids(h.end()).sort()).toEqual(['MQTT-3.1.2-4', 'MQTT-3.1.2-5', 'MQTT-3.2.2-2'].sort());
  });
  it('5.0: Clean Start discards the session: old subscriptions deliver nothing and Session Present is 0', () => {
    const h = new H();
    let s = h.connect('s', { clean: false, expiry: 300 });
    const p = h.connect('p');
    h.sub(s, 'a', 1).disconnect(s).pub(p, 'm1', 'a', 1);
    s = h.connect('s', { clean: true, sp: false });
    h.recv(s, 'm1', 'a', 1);
    expect(ids(h.end(), '5.0')).toEqual(['MQTT-3.1.2-4']);
  });
  it('5.0: Session Expiry 0 ends the session on a normal disconnect: Session Present 1 afterwards is a finding', () => {
    const h = new H();
    const s = h.connect('s', { clean: false, expiry: 0 });
    h.disconnect(s);
    h.connect('s', { clean: false, sp: true });
    expect(ids(h.end(), '5.0')).toContain('MQTT-3.2.2-3');
  });
  it('5.0: after an abrupt close of a non-persistent session either Session Present is allowed (takeover race)', () => {
    for (const sp of [true, false]) {
      const h = new H();
      const s = h.connect('s', { clean: false, expiry: 0 });
      h.disconnect(s, true);
      h.connect('s', { clean: false, sp });
      expect(ids(h.end(), '5.0')).toEqual([]);
    }
  });
});

describe('model: wills', () => {
  const will = { msg: 'w1', topic: 'w', qos: 1 as const, retain: false };
  for (const version of ['3.1.1', '5.0'] as const) {
    it(`${version}: an abrupt close publishes the will; a missing one is a finding`, () => {
      const ok = new H();
      const s = ok.connect('s');
      ok.sub(s, 'w', 1);
      const c = ok.connect('c', { will });
      ok.disconnect(c, true).recv(s, 'w1', 'w', 1);
      expect(ids(ok.end(), version)).toEqual([]);
      const bad = new H();
      const s2 = bad.connect('s');
      bad.sub(s2, 'w', 1);
      const c2 = bad.connect('c', { will });
      bad.disconnect(c2, true);
      expect(ids(bad.end(), version)).toEqual(['MQTT-3.1.2-8']);
    });
    it(`${version}: a normal DISCONNECT discards the will`, () => {
      const h = new H();
      const s = h.connect('s');
      h.sub(s, 'w', 1);
      const c = h.connect('c', { will });
      h.disconnect(c).recv(s, 'w1', 'w', 1);
      expect(ids(h.end(), version)).toContain(version === '3.1.1' ? 'MQTT-3.1.2-10' : 'MQTT-3.14.4-3');
    });
  }
  it('5.0: a Will Delay longer than the program is not owed; reconnecting before it forbids it', () => {
    const h = new H();
    const s = h.connect('s');
    h.sub(s, 'w', 1);
    h.connect('c', { will: { ...will, delay: 60 }, clean: false, expiry: 300 });
    h.disconnect(2, true);
    expect(ids(h.events.slice().concat([{ k: 'end', t: 100, settled: true }]), '5.0')).toEqual([]);
    h.connect('c', { clean: false, expiry: 300, sp: true });
    h.recv(s, 'w1', 'w', 1);
    expect(ids(h.end(), '5.0')).toEqual(['MQTT-3.1.3-9']);
  });
  it('5.0: Will Delay with Session Expiry 0: the session ends at the close, so the will is owed at once', () => {
    const h = new H();
    const s = h.connect('s');
    h.sub(s, 'w', 1);
    const c = h.connect('c', { will: { ...will, delay: 60 }, expiry: 0 });
    h.disconnect(c, true);
    expect(ids(h.end(), '5.0')).toEqual(['MQTT-3.1.2-8']);
  });
});

describe('model: ordering and in-flight window', () => {
  for (const version of ['3.1.1', '5.0'] as const) {
    it(`${version}: messages of one publisher on one topic arrive in order; out of order is a finding`, () => {
      const h = new H();
      const s = h.connect('s');
      const p = h.connect('p');
      h.sub(s, 'a', 1)
        .pub(p, 'm1', 'a', 1)
        .pub(p, 'm2', 'a', 1)
        .recv(s, 'm2', 'a', 1, { pid: 1 })
        .recv(s, 'm1', 'a', 1, { pid: 2 });
      expect(ids(h.end(), version)).toContain(version === '3.1.1' ? 'MQTT-4.6.0-6' : 'MQTT-4.6.0-5');
    });
    it(`${version}: a new PUBLISH reusing an unacknowledged packet id is a finding`, () => {
      const h = new H();
      const s = h.connect('s');
      const p = h.connect('p');
      h.sub(s, 'a', 1)
        .pub(p, 'm1', 'a', 1)
        .pub(p, 'm2', 'a', 1)
        .recv(s, 'm1', 'a', 1, { pid: 7, ack: false })
        .recv(s, 'm2', 'a', 1, { pid: 7 });
      expect(ids(h.end(), version)).toContain(version === '3.1.1' ? 'MQTT-2.3.1-4' : 'MQTT-2.2.1-4');
    });
  }
  it('5.0: more unacknowledged PUBLISHes than the client Receive Maximum is a finding; a broker keeping one in flight is fine', () => {
    const h = new H();
    const s = h.connect('s', { rm: 2 });
    const p = h.connect('p');
    h.sub(s, 'a', 1).pub(p, 'm1', 'a', 1).pub(p, 'm2', 'a', 1).pub(p, 'm3', 'a', 1);
    h.recv(s, 'm1', 'a', 1, { pid: 1, ack: false })
      .recv(s, 'm2', 'a', 1, { pid: 2, ack: false })
      .recv(s, 'm3', 'a', 1, { pid: 3, ack: false });
    expect(ids(h.end(), '5.0')).toContain('MQTT-3.3.4-9');
    const one = new H();
    const s1 = one.connect('s', { rm: 2 });
    const p1 = one.connect('p');
    one
      .sub(s1, 'a', 1)
      .pub(p1, 'm1', 'a', 1)
      .pub(p1, 'm2', 'a', 1)
      .recv(s1, 'm1', 'a', 1, { pid: 1 })
      .recv(s1, 'm2', 'a', 1, { pid: 1 });
    expect(ids(one.end(), '5.0')).toEqual([]);
  });
  it('5.0: an ack sent on the new connection for a delivery of the old one counts for the DUP resend that crosses it (no false Receive Maximum finding)', () => {
    // Found in CI (seed 11): the client acknowledged packet 2 right after its new CONNECT; the
    // broker applied that PUBACK to the resend of 2 it had just sent, then sent 3.
    const h = new H();
    const s = h.connect('s', { rm: 1, clean: false, expiry: 300 });
    const p = h.connect('p');
    h.sub(s, 'a', 1)
      .pub(p, 'm1', 'a', 1)
      .pub(p, 'm2', 'a', 1)
      .recv(s, 'm1', 'a', 1, { pid: 2, ack: false })
      .disconnect(s);
    const s2 = h.connect('s', { rm: 1, clean: false, expiry: 300, sp: true });
    h.ack(s2, 2)
      .recv(s2, 'm1', 'a', 1, { pid: 2, dup: true, ack: false })
      .recv(s2, 'm2', 'a', 1, { pid: 3, ack: false });
    expect(ids(h.end(), '5.0')).not.toContain('MQTT-3.3.4-9');
    // Without the early ack the same deliveries are two unacknowledged PUBLISHes: still a finding.
    const k = new H();
    const t = k.connect('s', { rm: 1, clean: false, expiry: 300 });
    const q = k.connect('p');
    k.sub(t, 'a', 1)
      .pub(q, 'm1', 'a', 1)
      .pub(q, 'm2', 'a', 1)
      .recv(t, 'm1', 'a', 1, { pid: 2, ack: false })
      .disconnect(t);
    const t2 = k.connect('s', { rm: 1, clean: false, expiry: 300, sp: true });
    k.recv(t2, 'm1', 'a', 1, { pid: 2, dup: true, ack: false }).recv(t2, 'm2', 'a', 1, { pid: 3, ack: false });
    expect(ids(k.end(), '5.0')).toContain('MQTT-3.3.4-9');
  });
});

describe('model: statements', () => {
  it('every statement the model cites exists in the registry', () => {
    for (const v of ['3.1.1', '5.0'] as const) {
      const refs = modelStatements(v);
      expect(refs.length).toBeGreaterThan(10);
      for (const r of refs) expect(findStatement(v, r.id), r.id).toBeDefined();
    }
  });
});

describe('model: a delayed will and the end of its session (5.0)', () => {
  it('a clean start ends the old session: its delayed will is published then, not after the delay', () => {
    const will = { msg: 'w1', topic: 'w', qos: 1 as const, retain: false, delay: 60 };
    const h = new H();
    const s = h.connect('s');
    h.sub(s, 'w', 1);
    const c = h.connect('c', { will, clean: false, expiry: 300 });
    h.disconnect(c, true);
    h.connect('c', { clean: true });
    h.recv(s, 'w1', 'w', 1);
    expect(ids(h.end(), '5.0')).toEqual([]);
    const missing = new H();
    const s2 = missing.connect('s');
    missing.sub(s2, 'w', 1);
    const c2 = missing.connect('c', { will, clean: false, expiry: 300 });
    missing.disconnect(c2, true);
    missing.connect('c', { clean: true });
    expect(ids(missing.end(), '5.0')).toEqual(['MQTT-3.1.2-8']);
  });
});
