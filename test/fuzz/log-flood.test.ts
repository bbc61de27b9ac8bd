import { describe, expect, it } from 'vitest';
import { MemoryLogger, rateLimitedLogger } from '../../src/broker/index.ts';

describe('log rate limiting (src/broker/logger.ts)', () => {
  it('100k repeated warnings from 20k clients give a bounded number of lines and honest summaries', () => {
    let t = 0;
    const mem = new MemoryLogger();
    const log = rateLimitedLogger(mem, { periodMs: 10_000, perClient: 3, perPeriod: 20, now: () => t });
    const kinds = ['protocol violation: bad UTF-8', 'protocol violation: reserved flags', 'connect timeout'];
    for (let i = 0; i < 100_000; i++) {
      t = Math.floor(i * 0.3); // 30 s in all: three periods
      log.warn(kinds[i % 3], { clientId: `c${i % 20_000}` });
    }
    log.flush();
    const lines = mem.records.length;
    expect(lines).toBeLessThan(300);
    const summaries = mem.records.filter((r) => r.msg.startsWith('suppressed'));
    const suppressed = summaries.reduce((n, r) => n + (r.fields?.suppressed as number), 0);
    expect(lines - summaries.length + suppressed).toBe(100_000);
    expect(summaries[0].msg).toMatch(
      /suppressed \d+ lines of "protocol violation" in the last 10 s from \d+ client\(s\) \(top: c\d+ x\d+/,
    );
  });

  it('one client repeating itself is held to perClient lines per period; others still get through', () => {
    const t = 0;
    const mem = new MemoryLogger();
    const log = rateLimitedLogger(mem, { perClient: 2, perPeriod: 100, now: () => t });
    for (let i = 0; i < 1000; i++) log.warn('protocol violation: x', { clientId: 'noisy' });
    log.warn('protocol violation: y', { clientId: 'quiet' });
    expect(mem.records.map((r) => r.fields?.clientId)).toEqual(['noisy', 'noisy', 'quiet']);
    log.flush();
    expect(mem.records.at(-1)?.msg).toContain('suppressed 998 lines');
    log.debug('debug passes', {});
    expect(mem.records.at(-1)?.msg).toBe('debug passes');
  });
});
