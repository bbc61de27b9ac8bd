import { describe, expect, it } from 'vitest';
import { checkWill } from '../../src/checker/index.ts';
import { HB, witnessIsMinimal } from './history-builder.ts';

const will = { topic: 'status/dev', qos: 1 as const, retain: false, msgId: 'will-dev' };
const base = () => new HB().connect('watch').subscribe('watch', 'status/#', 1).connect('dev', { will, keepAlive: 1 });

describe('last will', () => {
  it('accepts a will delivered after an ungraceful drop', () => {
    const h = base().drop('dev').recv('watch', 'will-dev', 'status/dev').wait(5000);
    const r = checkWill(h.ops, { endTime: h.clock.now() });
    expect(r.valid).toBe(true);
    expect(r.statements.map((s) => s.id)).toEqual(['MQTT-3.1.2-8', 'MQTT-3.1.2-10', 'MQTT-3.14.4-3']);
  });

  it('flags a missing will after an ungraceful drop once the keep-alive window passed', () => {
    const h = base().drop('dev');
    expect(checkWill(h.ops).valid).toBe('unknown');
    h.wait(5000);
    const r = checkWill(h.ops, { endTime: h.clock.now() });
    expect(r.valid).toBe(false);
    expect(r.violations![0].key).toBe('will-missing:will-dev->watch#0');
    expect(witnessIsMinimal((o) => checkWill(o, { endTime: h.clock.now() }), r).removable).toEqual([]);
  });

  it('accepts no will after a normal DISCONNECT and flags one that is sent anyway', () => {
    const ok = base().disconnect('dev').wait(5000);
    expect(checkWill(ok.ops, { endTime: ok.clock.now() }).valid).toBe(true);
    const bad = base().disconnect('dev').recv('watch', 'will-dev', 'status/dev');
    const r = checkWill(bad.ops);
    expect(r.valid).toBe(false);
    expect(r.witness!.map((o) => o.f)).toEqual(['connect', 'connect', 'disconnect', 'receive']);
  });

  it('is undecided when a fault may have eaten the DISCONNECT', () => {
    const h = base().fault('dev', 'drop', 'disconnect').disconnect('dev').recv('watch', 'will-dev', 'status/dev');
    expect(checkWill(h.ops).valid).toBe('unknown');
  });
});
