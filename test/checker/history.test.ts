import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/common/index.ts';
import { HistoryRecorder, NEMESIS, formatOp } from '../../src/checker/index.ts';

describe('HistoryRecorder', () => {
  it('pairs completions with invokes, merges values and stamps the injected clock', () => {
    const clock = new ManualClock(100);
    const rec = new HistoryRecorder(clock);
    rec.invoke('c1', 'publish', { msgId: 'a', topic: 't', qos: 1 }, 'pub:a');
    clock.advance(5);
    const done = rec.complete('pub:a', 'ok', { packetId: 7 });
    expect(done).toMatchObject({
      index: 1,
      time: 105,
      process: 'c1',
      type: 'ok',
      f: 'publish',
      value: { msgId: 'a', topic: 't', qos: 1, packetId: 7 },
    });
    expect(rec.complete('pub:a', 'ok')).toBeUndefined();
    expect(rec.size).toBe(2);
  });

  it('closes open operations as info at the end, and records faults as nemesis ops', () => {
    const rec = new HistoryRecorder(new ManualClock());
    rec.invoke('c1', 'publish', { msgId: 'a' }, 'pub:a');
    rec.fault({
      clientId: 'c1',
      toxic: 'drop-puback',
      action: 'drop',
      packet: { type: 'puback' },
      direction: 'downstream',
    });
    rec.finish();
    const h = rec.history;
    expect(h[1]).toMatchObject({
      process: NEMESIS,
      type: 'info',
      f: 'fault',
      value: { packet: 'puback', action: 'drop' },
    });
    expect(h[2]).toMatchObject({ type: 'info', f: 'publish', value: { msgId: 'a', reason: 'history ended' } });
    expect(rec.isOpen('pub:a')).toBe(false);
    expect(formatOp(h[1])).toMatch(/nemesis info fault .*packet=puback/);
    expect(rec.toJsonLines().split('\n')).toHaveLength(4);
  });

  it('refuses to grow past its bound', () => {
    const rec = new HistoryRecorder(new ManualClock(), { maxOps: 2 });
    rec.record('a', 'ok', 'receive');
    rec.record('a', 'ok', 'receive');
    expect(() => rec.record('a', 'ok', 'receive')).toThrow(/history is full/);
  });
});
