import { describe, expect, it } from 'vitest';
import { checkRetained } from '../../src/checker/index.ts';
import { HB, witnessIsMinimal } from './history-builder.ts';

const R = { retain: true };

describe('retained: last value wins', () => {
  it('accepts the last acknowledged retained value', () => {
    const h = new HB()
      .connect('pub')
      .publish('pub', 'v1', 'cfg', 1, R)
      .publish('pub', 'v2', 'cfg', 1, R)
      .connect('sub')
      .subscribe('sub', 'cfg', 1)
      .recv('sub', 'v2', 'cfg', 1, R);
    const r = checkRetained(h.ops);
    expect(r.valid).toBe(true);
    expect(r.statements.map((s) => s.id)).toContain('MQTT-3.3.1-6');
  });

  it('flags a stale retained value with a witness naming the newer publish', () => {
    const h = new HB()
      .connect('pub')
      .publish('pub', 'v1', 'cfg', 1, R)
      .publish('pub', 'v2', 'cfg', 1, R)
      .connect('sub')
      .subscribe('sub', 'cfg', 1)
      .recv('sub', 'v1', 'cfg', 1, R);
    const r = checkRetained(h.ops);
    expect(r.valid).toBe(false);
    expect(r.summary).toMatch(/v2 replaced it/);
    expect(r.witness!.filter((o) => o.f === 'publish').map((o) => o.value.msgId)).toEqual(['v1', 'v1', 'v2', 'v2']);
    expect(witnessIsMinimal(checkRetained, r)).toEqual({ fails: true, removable: [] });
  });

  it('accepts either value when publishes overlap the subscription', () => {
    const h = new HB()
      .connect('pub')
      .publish('pub', 'v1', 'cfg', 1, R)
      .connect('sub')
      .publish('pub', 'v2', 'cfg', 1, { ...R, done: 'open' })
      .subscribe('sub', 'cfg', 1)
      .finishPublish('v2');
    expect(checkRetained([...h.ops, ...new HB().ops]).valid).not.toBe(false);
    const got1 = h.recv('sub', 'v1', 'cfg', 1, R).ops;
    expect(checkRetained(got1).valid).toBe(true);
  });

  it('flags a missing retained message once the subscriber has waited long enough', () => {
    const h = new HB().connect('pub').publish('pub', 'v1', 'cfg', 1, R).connect('sub').subscribe('sub', 'cfg', 1);
    expect(checkRetained(h.ops).valid).toBe('unknown');
    h.wait(2000);
    const r = checkRetained(h.ops, { endTime: h.clock.now() });
    expect(r.valid).toBe(false);
    expect(r.violations![0].key).toBe('missing-retained:cfg->sub@7');
  });

  it('accepts nothing after a clear (empty retained payload) or a QoS 0 retained message', () => {
    const cleared = new HB()
      .connect('pub')
      .publish('pub', 'v1', 'cfg', 1, R)
      .publish('pub', 'v2', 'cfg', 1, { ...R, empty: true })
      .connect('sub')
      .subscribe('sub', 'cfg', 1)
      .wait(5000);
    expect(checkRetained(cleared.ops, { endTime: cleared.clock.now() }).valid).toBe(true);
    const q0 = new HB()
      .connect('pub')
      .publish('pub', 'v1', 'cfg', 0, R)
      .connect('sub')
      .subscribe('sub', 'cfg', 1)
      .wait(5000);
    expect(checkRetained(q0.ops, { endTime: q0.clock.now() }).valid).toBe(true);
  });

  it('ignores non-retained receipts and matches wildcards', () => {
    const h = new HB()
      .connect('pub')
      .publish('pub', 'v1', 'cfg/a', 1, R)
      .connect('sub')
      .subscribe('sub', 'cfg/#', 1)
      .recv('sub', 'v1', 'cfg/a', 1, R)
      .publish('pub', 'v2', 'cfg/a', 1, R)
      .recv('sub', 'v2', 'cfg/a', 1);
    expect(checkRetained(h.ops).valid).toBe(true);
  });
});
