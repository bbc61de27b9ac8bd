import { describe, expect, it } from 'vitest';
import { checkSession } from '../../src/checker/index.ts';
import { HB, witnessIsMinimal } from './history-builder.ts';

describe('session resume', () => {
  it('accepts a resumed session that delivers what was queued', () => {
    const h = new HB()
      .connect('sub', { clean: false })
      .subscribe('sub', 't', 1)
      .drop('sub')
      .connect('pub')
      .publish('pub', 'a', 't')
      .publish('pub', 'b', 't', 2)
      .connect('sub', { clean: false, present: true })
      .recv('sub', 'a', 't')
      .recv('sub', 'b', 't', 1);
    const r = checkSession(h.ops);
    expect(r.valid).toBe(true);
    expect(r.statements.map((s) => s.id)).toContain('MQTT-3.1.2-5');
  });

  it('flags queued messages that are not delivered after resume', () => {
    const h = new HB()
      .connect('sub', { clean: false })
      .subscribe('sub', 't', 1)
      .drop('sub')
      .connect('pub')
      .publish('pub', 'a', 't')
      .connect('sub', { clean: false, present: true });
    const r = checkSession(h.ops);
    expect(r.valid).toBe(false);
    expect(r.violations![0].key).toBe('queued-lost:a->sub#0');
    expect(witnessIsMinimal(checkSession, r)).toEqual({ fails: true, removable: [] });
  });

  it('flags a lost session (Session Present 0 on resume) unless it could have expired', () => {
    const h = new HB()
      .connect('sub', { clean: false })
      .subscribe('sub', 't', 1)
      .drop('sub')
      .connect('sub', { clean: false, present: false });
    const r = checkSession(h.ops);
    expect(r.valid).toBe(false);
    expect(r.violations![0].key).toMatch(/^session-lost:sub@/);
    const expired = new HB()
      .connect('sub', { clean: false, sessionExpiry: 1 })
      .drop('sub')
      .wait(2000)
      .connect('sub', { clean: false, present: false });
    expect(checkSession(expired.ops).valid).not.toBe(false);
  });

  it('flags Session Present 1 after a clean start or after a clean session ended', () => {
    expect(checkSession(new HB().connect('c', { clean: true, present: true }).ops).valid).toBe(false);
    const h = new HB()
      .connect('c', { clean: true })
      .drop('c')
      .connect('c', { clean: false, persistent: true, present: true });
    expect(checkSession(h.ops).violations![0].key).toMatch(/^present-without-session/);
  });
});
