import { describe, expect, it } from 'vitest';
import {
  checkQos0NoDuplicates,
  checkQos1AtLeastOnce,
  checkQos2ExactlyOnce,
  formatResult,
} from '../../src/checker/index.ts';
import { HB, witnessIsMinimal } from './history-builder.ts';

describe('QoS 0 at most once', () => {
  it('accepts single and missing deliveries', () => {
    const h = new HB()
      .connect('sub')
      .subscribe('sub', 't/#', 0)
      .connect('pub')
      .publish('pub', 'm1', 't/a', 0)
      .publish('pub', 'm2', 't/a', 0)
      .recv('sub', 'm1', 't/a', 0);
    const r = checkQos0NoDuplicates(h.ops);
    expect(r.valid).toBe(true);
    expect(r.checked).toBe(1);
    expect(r.statements.map((s) => s.id)).toContain('MQTT-4.3.1-1');
  });

  it('flags a QoS 0 message delivered twice, with a minimal witness', () => {
    const h = new HB()
      .connect('sub')
      .subscribe('sub', 't/#', 0)
      .connect('pub')
      .publish('pub', 'm0', 't/a', 0)
      .publish('pub', 'm1', 't/a', 0)
      .recv('sub', 'm0', 't/a', 0)
      .recv('sub', 'm1', 't/a', 0)
      .recv('sub', 'm1', 't/a', 0);
    const r = checkQos0NoDuplicates(h.ops);
    expect(r.valid).toBe(false);
    expect(r.violations![0].key).toBe('dup:m1->sub#0');
    const ids = r.witness!.map((o) => `${o.f}:${o.value.msgId ?? ''}`);
    expect(ids).not.toContain('receive:m0');
    expect(ids.filter((x) => x === 'receive:m1')).toHaveLength(2);
    expect(witnessIsMinimal(checkQos0NoDuplicates, r)).toEqual({ fails: true, removable: [] });
  });

  it('does not judge overlapping subscriptions (the server may send one copy per subscription)', () => {
    const h = new HB()
      .connect('sub')
      .subscribe('sub', 't/#', 0)
      .subscribe('sub', 't/a', 0)
      .connect('pub')
      .publish('pub', 'm1', 't/a', 0)
      .recv('sub', 'm1', 't/a', 0)
      .recv('sub', 'm1', 't/a', 0);
    expect(checkQos0NoDuplicates(h.ops).valid).toBe('unknown');
  });
});

describe('QoS 1 at least once', () => {
  const base = () => new HB().connect('sub').subscribe('sub', 'fleet/+/temp', 1).connect('pub');

  it('accepts deliveries, duplicates included', () => {
    const h = base()
      .publish('pub', 'a', 'fleet/s1/temp')
      .recv('sub', 'a', 'fleet/s1/temp')
      .recv('sub', 'a', 'fleet/s1/temp', 1, { dup: true });
    expect(checkQos1AtLeastOnce(h.ops).valid).toBe(true);
  });

  it('flags an acknowledged message that never arrives; witness = publish + subscription', () => {
    const h = base()
      .publish('pub', 'a', 'fleet/s1/temp')
      .publish('pub', 'b', 'fleet/s1/temp')
      .recv('sub', 'a', 'fleet/s1/temp');
    const r = checkQos1AtLeastOnce(h.ops);
    expect(r.valid).toBe(false);
    expect(r.summary).toMatch(/b on "fleet\/s1\/temp"/);
    expect(r.witness!.map((o) => `${o.process}:${o.type}:${o.f}`)).toEqual([
      'sub:invoke:connect',
      'sub:ok:connect',
      'sub:invoke:subscribe',
      'sub:ok:subscribe',
      'pub:invoke:publish',
      'pub:ok:publish',
    ]);
    expect(witnessIsMinimal(checkQos1AtLeastOnce, r)).toEqual({ fails: true, removable: [] });
    expect(formatResult(r)).toMatch(/INVALID/);
  });

  it('treats a publish of unknown outcome as maybe-delivered either way', () => {
    const h = base().publish('pub', 'a', 'fleet/s1/temp', 1, { done: 'info' });
    const r = checkQos1AtLeastOnce(h.ops);
    expect(r.valid).toBe('unknown');
  });

  it('owes nothing for messages published before the subscription', () => {
    const h = new HB().connect('pub').publish('pub', 'a', 't').connect('sub').subscribe('sub', 't', 1);
    const r = checkQos1AtLeastOnce(h.ops);
    expect(r.verdict).toBe('nothing-to-check');
    expect(r.valid).not.toBe(true);
    expect(r.checked).toBe(0);
  });

  it('does not owe messages to a QoS 0 subscription or after a dropped clean session', () => {
    const h0 = new HB().connect('sub').subscribe('sub', 't', 0).connect('pub').publish('pub', 'a', 't');
    expect(checkQos1AtLeastOnce(h0.ops).checked).toBe(0);
    const hd = new HB().connect('sub').subscribe('sub', 't', 1).connect('pub').publish('pub', 'a', 't').drop('sub');
    expect(checkQos1AtLeastOnce(hd.ops).valid).toBe('unknown');
  });

  it('follows a persistent session across a disconnect', () => {
    const ok = new HB()
      .connect('sub', { clean: false })
      .subscribe('sub', 't', 1)
      .drop('sub')
      .connect('pub')
      .publish('pub', 'a', 't')
      .connect('sub', { clean: false, present: true })
      .recv('sub', 'a', 't');
    expect(checkQos1AtLeastOnce(ok.ops).valid).toBe(true);
    const lost = new HB()
      .connect('sub', { clean: false })
      .subscribe('sub', 't', 1)
      .drop('sub')
      .connect('pub')
      .publish('pub', 'a', 't')
      .connect('sub', { clean: false, present: true });
    const r = checkQos1AtLeastOnce(lost.ops);
    expect(r.valid).toBe(false);
    expect(witnessIsMinimal(checkQos1AtLeastOnce, r).removable).toEqual([]);
    const offline = new HB()
      .connect('sub', { clean: false })
      .subscribe('sub', 't', 1)
      .drop('sub')
      .connect('pub')
      .publish('pub', 'a', 't');
    expect(checkQos1AtLeastOnce(offline.ops).valid).toBe('unknown');
  });

  it('honours a settle time before the end', () => {
    const h = base().publish('pub', 'a', 'fleet/s1/temp');
    expect(checkQos1AtLeastOnce(h.ops, { settleMs: 500 }).valid).toBe('unknown');
    h.wait(1000);
    expect(checkQos1AtLeastOnce(h.ops, { settleMs: 500, endTime: h.clock.now() }).valid).toBe(false);
  });
});

describe('QoS 2 exactly once', () => {
  const base = () => new HB().connect('sub').subscribe('sub', 't', 2).connect('pub');

  it('accepts one delivery plus protocol repeats before PUBREL', () => {
    const h = base()
      .publish('pub', 'a', 't', 2)
      .recv('sub', 'a', 't', 2)
      .recv('sub', 'a', 't', 2, { dup: true, repeat: true });
    expect(checkQos2ExactlyOnce(h.ops).valid).toBe(true);
  });

  it('flags a duplicate delivery and names the message', () => {
    const h = base()
      .publish('pub', 'a', 't', 2)
      .publish('pub', 'b', 't', 2)
      .recv('sub', 'a', 't', 2)
      .recv('sub', 'b', 't', 2)
      .recv('sub', 'b', 't', 2);
    const r = checkQos2ExactlyOnce(h.ops, { version: '5.0' });
    expect(r.valid).toBe(false);
    expect(r.violations![0].key).toBe('dup:b->sub#0');
    expect(r.statements.every((s) => s.version === '5.0')).toBe(true);
    expect(witnessIsMinimal((o) => checkQos2ExactlyOnce(o), r).removable).toEqual([]);
  });

  it('flags a lost acknowledged QoS 2 message', () => {
    const r = checkQos2ExactlyOnce(base().publish('pub', 'a', 't', 2).ops);
    expect(r.valid).toBe(false);
    expect(r.violations![0].key).toBe('lost:a->sub#0');
  });

  it('allows duplicates when the subscription downgrades to QoS 1', () => {
    const h = new HB()
      .connect('sub')
      .subscribe('sub', 't', 1)
      .connect('pub')
      .publish('pub', 'a', 't', 2)
      .recv('sub', 'a', 't', 1)
      .recv('sub', 'a', 't', 1);
    expect(checkQos2ExactlyOnce(h.ops).valid).not.toBe(false);
  });
});
