import { describe, expect, it } from 'vitest';
import { closeMatch, didYouMean, editDistance, redactUrl, redactValue, scrubSecrets } from '../../src/common/index.ts';

describe('close match', () => {
  it('finds the key a typo meant', () => {
    expect(closeMatch('interval', ['interval_ms', 'count', 'topic'])).toBe('interval_ms');
    expect(closeMatch('latncy', ['latency', 'jitter'])).toBe('latency');
    expect(didYouMean('qso', ['qos', 'retain'])).toBe(' (did you mean `qos`?)');
    // A swap of two adjacent letters is one edit: `prot` is a typo of `port` before it is a prefix of `protocol`.
    expect(closeMatch('prot', ['protocol', 'port'])).toBe('port');
    expect(editDistance('prot', 'port')).toBe(1);
  });
  it('suggests nothing for an unrelated word', () => {
    expect(closeMatch('zebra', ['interval_ms', 'count'])).toBeUndefined();
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('redaction', () => {
  it('masks the password of a URL and nothing else', () => {
    expect(redactUrl('mqtt://tester:s3cret@127.0.0.1:1883/x')).toBe('mqtt://tester:***@127.0.0.1:1883/x');
    expect(redactUrl('mqtt://127.0.0.1:1883')).toBe('mqtt://127.0.0.1:1883');
    expect(redactUrl('wss://u@h/mqtt')).toBe('wss://u@h/mqtt');
  });
  it('scrubs a secret as text, as hex and as spaced hex', () => {
    const out = scrubSecrets('password="s3cret" hex 733363726574 spaced 73 33 63 72 65 74', ['s3cret']);
    expect(out).not.toMatch(/s3cret|733363726574|73 33 63 72 65 74/);
    expect(out).toContain(redactValue('s3cret'));
    expect(redactValue('s3cret')).toBe('<redacted, 6 bytes>');
  });
});
