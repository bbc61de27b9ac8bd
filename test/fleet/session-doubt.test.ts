/**
 * Session Present after a CONNECT that got no CONNACK (issue 13): the server may or may not have
 * acted on it, so the next Session Present may legally be either value. The session-resume
 * checker decides such items as "either answer is legal" (counted apart), and still flags what
 * no reading of the unanswered CONNECT allows.
 */
import { describe, expect, it } from 'vitest';
import { checkSession } from '../../src/checker/index.ts';
import { checkFleet } from '../../src/fleet/index.ts';
import { HB } from '../checker/history-builder.ts';

/** A CONNECT that was sent but never answered (outcome unknown: `info`). */
function unanswered(h: HB, p: string, o: { clean: boolean; level?: 4 | 5; sessionExpiry?: number }): HB {
  h.clock.advance(10);
  h.rec.invoke(
    p,
    'connect',
    {
      clientId: p,
      cleanStart: o.clean,
      persistent: !o.clean || (o.sessionExpiry ?? 0) > 0,
      keepAlive: 1,
      protocolLevel: o.level ?? 4,
      ...(o.sessionExpiry !== undefined ? { sessionExpiry: o.sessionExpiry } : {}),
    },
    `conn:${p}`,
  );
  h.clock.advance(10);
  h.rec.complete(`conn:${p}`, 'info', { clientId: p, reason: 'connection closed before CONNACK' });
  return h;
}

const eitherCount = (r: ReturnType<typeof checkSession>): number => (r.either ?? []).reduce((n, e) => n + e.count, 0);

describe('session-resume after a CONNECT without CONNACK', () => {
  it('3.1.1: Session Present 1 after an unanswered CleanSession 0 CONNECT is legal, decided and counted apart', () => {
    const h = unanswered(new HB(), 'm', { clean: false }).connect('m', { clean: false, present: true });
    const r = checkSession(h.ops, { version: '3.1.1' });
    expect(r.verdict).toBe('valid');
    expect(r.unknown).toBe(0);
    expect(eitherCount(r)).toBe(1);
    expect(r.either![0].reason).toMatch(/may have created the session/);
    expect(r.summary).toMatch(/1 of them decided as "either answer is legal"/);
    // Session Present 0 is just as legal (the server ignored the CONNECT) and needs no doubt.
    const h0 = unanswered(new HB(), 'm', { clean: false }).connect('m', { clean: false, present: false });
    const r0 = checkSession(h0.ops, { version: '3.1.1' });
    expect(r0.verdict).toBe('valid');
    expect(eitherCount(r0)).toBe(0);
  });

  it('3.1.1: Session Present 0 after an unanswered CleanSession 1 CONNECT may end a persistent session', () => {
    const base = () => new HB().connect('m', { clean: false }).subscribe('m', 't', 1).drop('m');
    const h = unanswered(base(), 'm', { clean: true }).connect('m', { clean: false, present: false });
    const r = checkSession(h.ops, { version: '3.1.1' });
    expect(r.verdict).toBe('valid');
    expect(r.either![0].reason).toMatch(/may have ended the session/);
    // Without the unanswered CONNECT the same answer is a lost session.
    const lost = checkSession(base().connect('m', { clean: false, present: false }).ops, { version: '3.1.1' });
    expect(lost.verdict).toBe('invalid');
    expect(lost.violations![0].key).toMatch(/^session-lost:m@/);
  });

  it('still flags what no reading of the unanswered CONNECT allows', () => {
    // A CleanSession 0 CONNECT cannot end a 3.1.1 session: Session Present 0 is still a lost session.
    const keep = unanswered(new HB().connect('m', { clean: false }).drop('m'), 'm', { clean: false }).connect('m', {
      clean: false,
      present: false,
    });
    const r1 = checkSession(keep.ops, { version: '3.1.1' });
    expect(r1.verdict).toBe('invalid');
    expect(r1.violations![0].key).toMatch(/^session-lost:/);
    // A CleanSession 1 CONNECT leaves no session behind: Session Present 1 after it is wrong.
    const none = unanswered(new HB().connect('m', { clean: true }).drop('m'), 'm', { clean: true }).connect('m', {
      clean: false,
      persistent: true,
      present: true,
    });
    const r2 = checkSession(none.ops, { version: '3.1.1' });
    expect(r2.verdict).toBe('invalid');
    expect(r2.violations![0].key).toMatch(/^present-without-session/);
    // A clean start answered with Session Present 1 is wrong whatever came before.
    const clean = unanswered(new HB(), 'm', { clean: false }).connect('m', { clean: true, present: true });
    expect(checkSession(clean.ops, { version: '3.1.1' }).verdict).toBe('invalid');
    // 5.0: an unanswered Clean Start 1 with a session expiry leaves a new session: Session Present 0 is wrong.
    const v5 = unanswered(new HB().connect('m', { clean: false, level: 5, sessionExpiry: 600 }).drop('m'), 'm', {
      clean: true,
      level: 5,
      sessionExpiry: 600,
    }).connect('m', { clean: false, level: 5, sessionExpiry: 600, present: false });
    const r5 = checkSession(v5.ops, { version: '5.0' });
    expect(r5.verdict).toBe('invalid');
    expect(eitherCount(r5)).toBe(0);
  });

  it('5.0: queued messages may be gone after an unanswered Clean Start CONNECT replaced the session', () => {
    const h = new HB()
      .connect('sub', { clean: false, level: 5, sessionExpiry: 600 })
      .subscribe('sub', 't', 1)
      .drop('sub')
      .connect('pub', { level: 5 })
      .publish('pub', 'a', 't');
    unanswered(h, 'sub', { clean: true, level: 5, sessionExpiry: 600 }).connect('sub', {
      clean: false,
      level: 5,
      sessionExpiry: 600,
      present: true,
    });
    const r = checkSession(h.ops, { version: '5.0' });
    expect(r.verdict).toBe('valid');
    expect(r.either!.map((e) => e.reason).join()).toMatch(/may have replaced the session/);
  });

  it('the fleet combines the counts over chunks of devices', () => {
    const h = new HB();
    for (const p of ['a', 'b', 'c']) unanswered(h, p, { clean: false }).connect(p, { clean: false, present: true });
    const [r] = checkFleet(h.ops, ['session-resume'], new Set(), { version: '3.1.1' }, 1);
    expect(r.verdict).toBe('valid');
    expect(r.either).toEqual([expect.objectContaining({ count: 3 })]);
    expect(r.summary).toMatch(/3 of them decided as "either answer is legal"/);
  });
});
