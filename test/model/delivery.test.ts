import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/model/index.ts';
import { H } from './history-builder.ts';

const ids = (h: ReturnType<H['end']>, version: '3.1.1' | '5.0' = '3.1.1'): string[] => [
  ...new Set(checkHistory(h, { version }).flatMap((f) => f.statements.map((s) => s.id))),
];

describe('model: delivery and overlapping subscriptions', () => {
  for (const version of ['3.1.1', '5.0'] as const) {
    const overlap = version === '3.1.1' ? 'MQTT-3.3.5-1' : 'MQTT-3.3.4-2';
    const base = (): { h: H; s: number; p: number } => {
      const h = new H();
      const s = h.connect('s');
      const p = h.connect('p');
      h.sub(s, 'a/#', 1).sub(s, 'a/+', 2);
      return { h, s, p };
    };
    it(`${version}: one copy at the maximum QoS is allowed`, () => {
      const { h, s, p } = base();
      h.pub(p, 'm1', 'a/b', 2).recv(s, 'm1', 'a/b', 2);
      expect(ids(h.end(), version)).toEqual([]);
    });
    it(`${version}: one copy per overlapping subscription, each at its own QoS, is allowed (MAY)`, () => {
      const { h, s, p } = base();
      h.pub(p, 'm1', 'a/b', 2).recv(s, 'm1', 'a/b', 1, { pid: 1 }).recv(s, 'm1', 'a/b', 2, { pid: 2 });
      expect(ids(h.end(), version)).toEqual([]);
    });
    it(`${version}: a single copy below the maximum QoS is not allowed`, () => {
      const { h, s, p } = base();
      h.pub(p, 'm1', 'a/b', 2).recv(s, 'm1', 'a/b', 1);
      expect(ids(h.end(), version)).toContain(overlap);
    });
    it(`${version}: more copies than matching subscriptions are not allowed`, () => {
      const { h, s, p } = base();
      h.pub(p, 'm1', 'a/b', 2)
        .recv(s, 'm1', 'a/b', 2, { pid: 1 })
        .recv(s, 'm1', 'a/b', 1, { pid: 2 })
        .recv(s, 'm1', 'a/b', 2, { pid: 3 });
      expect(ids(h.end(), version)).toContain(overlap);
    });
    it(`${version}: a QoS 1 message owed to a connected subscriber that never arrives is a finding`, () => {
      const { h, p } = base();
      h.pub(p, 'm1', 'a/b', 1);
      expect(ids(h.end(), version)).toEqual(['MQTT-4.5.0-1']);
    });
    it(`${version}: a lost QoS 0 delivery is allowed (at most once)`, () => {
      const h = new H();
      const s = h.connect('s');
      const p = h.connect('p');
      h.sub(s, 'a', 0).pub(p, 'm1', 'a', 2);
      expect(ids(h.end(), version)).toEqual([]);
    });
    it(`${version}: delivery at the granted QoS (downgrade) is allowed, above it is not`, () => {
      const h = new H();
      const s = h.connect('s');
      const p = h.connect('p');
      h.sub(s, 'a', 2, {}, 1).pub(p, 'm1', 'a', 2).recv(s, 'm1', 'a', 1);
      expect(ids(h.events.slice().concat(), version)).toEqual([]);
      h.pub(p, 'm2', 'a', 2).recv(s, 'm2', 'a', 2, { pid: 2 });
      expect(ids(h.end(), version)).toContain(version === '3.1.1' ? 'MQTT-3.8.4-6' : 'MQTT-3.8.4-8');
    });
    it(`${version}: a DUP resend with the same packet id is not an extra copy`, () => {
      const h = new H();
      const s = h.connect('s');
      const p = h.connect('p');
      h.sub(s, 'a', 1)
        .pub(p, 'm1', 'a', 1)
        .recv(s, 'm1', 'a', 1, { pid: 4, ack: false })
        .recv(s, 'm1', 'a', 1, { pid: 4, dup: true });
      expect(ids(h.end(), version)).toEqual([]);
    });
    it(`${version}: a message published while the subscription was being made may or may not arrive`, () => {
      const h = new H();
      const s = h.connect('s');
      const p = h.connect('p');
      // publish invoked before the SUBACK, acknowledged after: racing
      h.events.push({ k: 'subscribe', t: 10, t1: 14, conn: s, subs: [{ filter: 'a', qos: 1 }], granted: [1] });
      h.events.push({ k: 'publish', t: 12, conn: p, msg: 'm1', topic: 'a', qos: 1, retain: false, empty: false });
      h.events.push({ k: 'published', t: 13, conn: p, msg: 'm1' });
      h.wait(20);
      expect(ids(h.end(), version)).toEqual([]);
    });
    it(`${version}: after UNSUBACK no new message is delivered`, () => {
      const h = new H();
      const s = h.connect('s');
      const p = h.connect('p');
      h.sub(s, 'a', 1).unsub(s, 'a').pub(p, 'm1', 'a', 1).recv(s, 'm1', 'a', 1);
      expect(ids(h.end(), version)).toEqual(['MQTT-3.10.4-2']);
    });
  }

  it('3.1.1: a forwarded message carries RETAIN 0', () => {
    const h = new H();
    const s = h.connect('s');
    const p = h.connect('p');
    h.sub(s, 'a', 1).pub(p, 'm1', 'a', 1, { retain: true }).recv(s, 'm1', 'a', 1, { retain: true });
    expect(ids(h.end())).toEqual(['MQTT-3.3.1-9']);
  });
  it('5.0: Retain As Published keeps RETAIN 1 on a forwarded retained message; without it RETAIN is 0', () => {
    const ok = new H();
    let s = ok.connect('s');
    let p = ok.connect('p');
    ok.sub(s, 'a', 1, { retainAsPublished: true })
      .pub(p, 'm1', 'a', 1, { retain: true })
      .recv(s, 'm1', 'a', 1, { retain: true });
    expect(ids(ok.end(), '5.0')).toEqual([]);
    const bad = new H();
    s = bad.connect('s');
    p = bad.connect('p');
    bad.sub(s, 'a', 1).pub(p, 'm1', 'a', 1, { retain: true }).recv(s, 'm1', 'a', 1, { retain: true });
    expect(ids(bad.end(), '5.0')).toEqual(['MQTT-3.3.1-12']);
  });
  it('5.0: No Local: own messages are not sent back; others are', () => {
    const h = new H();
    const s = h.connect('s');
    h.sub(s, 'a', 1, { noLocal: true }).pub(s, 'm1', 'a', 1).recv(s, 'm1', 'a', 1);
    expect(ids(h.end(), '5.0')).toEqual(['MQTT-3.8.3-3']);
    const ok = new H();
    const s2 = ok.connect('s');
    ok.sub(s2, 'a', 1, { noLocal: true }).pub(s2, 'm1', 'a', 1);
    expect(ids(ok.end(), '5.0')).toEqual([]);
  });
  it('5.0: a single copy lists every matching Subscription Identifier; per-subscription copies carry their own', () => {
    const one = new H();
    let s = one.connect('s');
    let p = one.connect('p');
    one
      .sub(s, 'a/#', 1, { subscriptionId: 1 })
      .sub(s, 'a/+', 1, { subscriptionId: 2 })
      .pub(p, 'm1', 'a/b', 1)
      .recv(s, 'm1', 'a/b', 1, { subIds: [2, 1] });
    expect(ids(one.end(), '5.0')).toEqual([]);
    const miss = new H();
    s = miss.connect('s');
    p = miss.connect('p');
    miss
      .sub(s, 'a/#', 1, { subscriptionId: 1 })
      .sub(s, 'a/+', 1, { subscriptionId: 2 })
      .pub(p, 'm1', 'a/b', 1)
      .recv(s, 'm1', 'a/b', 1, { subIds: [1] });
    expect(ids(miss.end(), '5.0')).toContain('MQTT-3.3.4-4');
    const two = new H();
    s = two.connect('s');
    p = two.connect('p');
    two
      .sub(s, 'a/#', 1, { subscriptionId: 1 })
      .sub(s, 'a/+', 1, { subscriptionId: 2 })
      .pub(p, 'm1', 'a/b', 1)
      .recv(s, 'm1', 'a/b', 1, { pid: 1, subIds: [1] })
      .recv(s, 'm1', 'a/b', 1, { pid: 2, subIds: [2] });
    expect(ids(two.end(), '5.0')).toEqual([]);
  });
  it('5.0: a shared subscription copy comes at its granted QoS; the group may be served by any member or none at QoS 0', () => {
    const h = new H();
    const a = h.connect('a');
    const b = h.connect('b');
    const p = h.connect('p');
    h.sub(a, '$share/g/t', 1).sub(b, '$share/g/t', 1).pub(p, 'm1', 't', 2).recv(b, 'm1', 't', 1);
    expect(ids(h.events.slice(), '5.0')).toEqual([]);
    h.pub(p, 'm2', 't', 2).recv(a, 'm2', 't', 2, { pid: 2 });
    expect(ids(h.end(), '5.0')).toEqual(['MQTT-4.8.2-3']);
  });
  it('a message nobody published is reported', () => {
    const h = new H();
    const s = h.connect('s');
    h.sub(s, '#', 0).recv(s, 'ghost', 'x', 0);
    expect(ids(h.end())).toEqual(['MQTT-4.5.0-1']);
  });
});

describe('model: replacing a subscription replaces its options (5.0)', () => {
  it('No Local set by the replacing SUBSCRIBE applies; Retain As Published likewise', () => {
    const h = new H();
    const s = h.connect('s');
    h.sub(s, 'a/+', 0).sub(s, 'a/+', 0, { noLocal: true }).pub(s, 'm1', 'a/b', 0).recv(s, 'm1', 'a/b', 0);
    expect(ids(h.end(), '5.0').sort()).toEqual(['MQTT-3.8.3-3', 'MQTT-3.8.4-3']);
    const r = new H();
    const s2 = r.connect('s');
    const p = r.connect('p');
    r.sub(s2, 'a/b', 0)
      .sub(s2, 'a/b', 0, { retainAsPublished: true })
      .pub(p, 'm1', 'a/b', 0, { retain: true })
      .recv(s2, 'm1', 'a/b', 0);
    expect(ids(r.end(), '5.0').sort()).toEqual(['MQTT-3.3.1-13', 'MQTT-3.8.4-3']);
  });
});

describe('model: empty payloads carry no id', () => {
  it('a DUP resend of an empty QoS 1 message after a reconnect is matched to the message first received with that packet id', () => {
    const h = new H();
    let s = h.connect('s', { clean: false });
    const p = h.connect('p');
    h.sub(s, '+/+', 1)
      .pub(p, 'e1', 'a/a', 2, { empty: true })
      .pub(p, 'e2', 'a/a', 0, { empty: true })
      .pub(p, 'e3', 'a/a', 0, { empty: true });
    h.recv(s, undefined, 'a/a', 1, { pid: 1, ack: false }).recv(s, undefined, 'a/a', 0);
    h.disconnect(s, true);
    s = h.connect('s', { clean: false, sp: true });
    h.recv(s, undefined, 'a/a', 1, { pid: 1, dup: true });
    expect(ids(h.end())).toEqual([]);
  });
});

describe('model: copies of empty messages', () => {
  it('two empty messages, each delivered once per overlapping subscription (normal + shared), are allowed', () => {
    const h = new H();
    const s = h.connect('s');
    const p = h.connect('p');
    h.sub(s, 'a/+', 0)
      .sub(s, '$share/g/a/+', 0)
      .pub(p, 'e1', 'a/b', 0, { empty: true })
      .pub(p, 'e2', 'a/b', 0, { empty: true });
    h.recv(s, undefined, 'a/b', 0)
      .recv(s, undefined, 'a/b', 0)
      .recv(s, undefined, 'a/b', 0)
      .recv(s, undefined, 'a/b', 0);
    expect(ids(h.end(), '5.0')).toEqual([]);
    const three = new H();
    const s3 = three.connect('s');
    const p3 = three.connect('p');
    three
      .sub(s3, 'a/+', 0)
      .pub(p3, 'e1', 'a/b', 0, { empty: true })
      .recv(s3, undefined, 'a/b', 0)
      .recv(s3, undefined, 'a/b', 0);
    expect(ids(three.end(), '5.0')).toEqual(['MQTT-3.3.4-2']);
  });
});

describe('model: one merged copy for overlapping subscriptions with different Retain As Published (5.0)', () => {
  it('the single copy at the maximum QoS may carry the RETAIN flag any matching subscription allows', () => {
    for (const retain of [true, false]) {
      const h = new H();
      const s = h.connect('s');
      const p = h.connect('p');
      h.sub(s, '+/a', 0, { retainAsPublished: true })
        .sub(s, 'a/a', 2)
        .pub(p, 'm1', 'a/a', 1, { retain: true })
        .recv(s, 'm1', 'a/a', 1, { retain });
      expect(ids(h.end(), '5.0')).toEqual([]);
    }
  });
  it('per-subscription copies keep the RETAIN rule of their own subscription', () => {
    const h = new H();
    const s = h.connect('s');
    const p = h.connect('p');
    h.sub(s, '+/a', 0, { retainAsPublished: true })
      .sub(s, 'a/a', 2)
      .pub(p, 'm1', 'a/a', 1, { retain: true })
      .recv(s, 'm1', 'a/a', 1, { pid: 1, retain: true })
      .recv(s, 'm1', 'a/a', 0, { retain: true });
    // The QoS 1 copy with RETAIN 1 fits no subscription: a QoS or a RETAIN error, either way a finding.
    expect(ids(h.end(), '5.0').some((id) => id === 'MQTT-3.3.1-12' || id === 'MQTT-3.3.4-2')).toBe(true);
  });
});

describe('model: Subscription Identifiers with a shared copy beside a merged one (5.0)', () => {
  it('the merged copy carries the identifier, the shared copy none: allowed', () => {
    const h = new H();
    const s = h.connect('s');
    const p = h.connect('p');
    h.sub(s, '$share/g/+/a', 0)
      .sub(s, '#', 0)
      .sub(s, 'a/a', 0, { subscriptionId: 1 })
      .pub(p, 'm1', 'a/a', 0)
      .recv(s, 'm1', 'a/a', 0, { subIds: [1] })
      .recv(s, 'm1', 'a/a', 0);
    expect(ids(h.end(), '5.0')).toEqual([]);
  });
});

describe('model: empty messages and a merged copy', () => {
  it('two empty messages each delivered once (merged) to overlapping subscriptions: allowed', () => {
    const h = new H();
    const s = h.connect('s');
    const p = h.connect('p');
    h.sub(s, '#', 0)
      .sub(s, 'a/+', 1)
      .pub(p, 'e1', 'a/b', 2, { empty: true })
      .pub(p, 'e2', 'a/b', 1, { empty: true })
      .recv(s, undefined, 'a/b', 1, { pid: 1 })
      .recv(s, undefined, 'a/b', 1, { pid: 2 });
    expect(ids(h.end(), '5.0')).toEqual([]);
  });
});
