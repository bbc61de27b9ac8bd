import { describe, expect, it } from 'vitest';
import { checkOrdering } from '../../src/checker/index.ts';
import { HB, witnessIsMinimal } from './history-builder.ts';

const base = (q: 0 | 1 | 2 = 1) => new HB().connect('sub').subscribe('sub', 't/#', q).connect('pub');

describe('ordered topics (4.6)', () => {
  it('accepts in-order delivery and the 1,2,3,2,3,4 pattern of QoS 1 resends', () => {
    const h = base()
      .publish('pub', 'm1', 't/a')
      .publish('pub', 'm2', 't/a')
      .publish('pub', 'm3', 't/a')
      .publish('pub', 'm4', 't/a')
      .recv('sub', 'm1', 't/a')
      .recv('sub', 'm2', 't/a')
      .recv('sub', 'm3', 't/a')
      .recv('sub', 'm2', 't/a')
      .recv('sub', 'm3', 't/a')
      .recv('sub', 'm4', 't/a');
    const r = checkOrdering(h.ops);
    expect(r.valid).toBe(true);
    expect(r.statements.map((s) => s.id)).toEqual(['MQTT-4.6.0-5', 'MQTT-4.6.0-6']);
  });

  it('flags a fresh copy of an earlier message arriving after a later one, with a minimal witness', () => {
    const h = base()
      .publish('pub', 'm1', 't/a')
      .publish('pub', 'm2', 't/a')
      .publish('pub', 'm3', 't/a')
      .recv('sub', 'm1', 't/a')
      .recv('sub', 'm3', 't/a')
      .recv('sub', 'm2', 't/a');
    const r = checkOrdering(h.ops);
    expect(r.valid).toBe(false);
    expect(r.violations![0].key).toBe('order:m2<m3->sub#0');
    expect(witnessIsMinimal(checkOrdering, r)).toEqual({ fails: true, removable: [] });
    expect(r.witness!.some((o) => o.value.msgId === 'm1')).toBe(false);
  });

  it('allows a DUP=1 retransmission to arrive late (e.g. after the first copy was lost on the link)', () => {
    const h = base()
      .publish('pub', 'm1', 't/a')
      .publish('pub', 'm2', 't/a')
      .recv('sub', 'm2', 't/a')
      .recv('sub', 'm1', 't/a', 1, { dup: true });
    expect(checkOrdering(h.ops).valid).toBe(true);
  });

  it('claims no order between overlapping in-flight publishes, other topics, other QoS or other publishers', () => {
    const inflight = base()
      .publish('pub', 'm1', 't/a', 1, { done: 'open' })
      .publish('pub', 'm2', 't/a')
      .finishPublish('m1')
      .recv('sub', 'm2', 't/a')
      .recv('sub', 'm1', 't/a');
    expect(checkOrdering(inflight.ops).valid).toBe(true);
    const topics = base()
      .publish('pub', 'm1', 't/a')
      .publish('pub', 'm2', 't/b')
      .recv('sub', 'm2', 't/b')
      .recv('sub', 'm1', 't/a');
    expect(checkOrdering(topics.ops).valid).toBe(true);
    const qos = base(2)
      .publish('pub', 'm1', 't/a', 1)
      .publish('pub', 'm2', 't/a', 2)
      .recv('sub', 'm2', 't/a', 2)
      .recv('sub', 'm1', 't/a', 1);
    expect(checkOrdering(qos.ops).valid).toBe(true);
    const pubs = base()
      .connect('pub2')
      .publish('pub', 'm1', 't/a')
      .publish('pub2', 'm2', 't/a')
      .recv('sub', 'm2', 't/a')
      .recv('sub', 'm1', 't/a');
    expect(checkOrdering(pubs.ops).valid).toBe(true);
  });

  it('orders QoS 0 messages sent on one publisher connection', () => {
    const bad = base(0)
      .publish('pub', 'm1', 't/a', 0)
      .publish('pub', 'm2', 't/a', 0)
      .recv('sub', 'm2', 't/a', 0)
      .recv('sub', 'm1', 't/a', 0);
    expect(checkOrdering(bad.ops).valid).toBe(false);
    const reconnected = base(0)
      .publish('pub', 'm1', 't/a', 0)
      .drop('pub')
      .connect('pub')
      .publish('pub', 'm2', 't/a', 0)
      .recv('sub', 'm2', 't/a', 0)
      .recv('sub', 'm1', 't/a', 0);
    expect(checkOrdering(reconnected.ops).valid).toBe(true);
  });
});
