/** Parsing the fuzz/audit target URL and durations (pure). */
import type { Target } from './run-case.ts';

/** mqtt://[user[:pass]@]host[:port] -> Target; throws a one-line error naming the problem. */
export function parseTarget(url: string): Target {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`--broker: not a URL: "${url}" (expected mqtt://host:port)`);
  }
  if (u.protocol !== 'mqtt:')
    throw new Error(`--broker: only mqtt:// targets are fuzzed (plain TCP), got "${u.protocol}//"`);
  const t: Target = {
    host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: u.port === '' ? 1883 : Number(u.port),
  };
  if (u.username !== '') t.username = decodeURIComponent(u.username);
  if (u.password !== '') t.password = Buffer.from(decodeURIComponent(u.password), 'utf8');
  return t;
}

/** "10m", "90s", "1h", "500ms" or a number of seconds -> milliseconds. */
export function parseDuration(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(v.trim());
  if (!m) throw new Error(`expected a duration like 10m, 90s, 1h or 500ms, got "${v}"`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return Math.round(n * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000));
}
