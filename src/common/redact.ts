/**
 * Secrets never leave the process: passwords, SCRAM / AUTH data and URL passwords are shown
 * only as `<redacted, N bytes>` in traces, reports, logs and console output.
 */

/** The placeholder for a secret of `n` bytes. */
export const redacted = (n: number): string => `<redacted, ${n} byte${n === 1 ? '' : 's'}>`;

/** The placeholder for a secret value (string as UTF-8, or bytes). */
export function redactValue(v: string | Uint8Array): string {
  return redacted(typeof v === 'string' ? Buffer.byteLength(v) : v.length);
}

/** A URL with its password (if any) replaced by `***`; non-URLs are returned unchanged. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:\s]*):([^@/\s]*)@/i, (_m, head: string) => `${head}:***@`);
}

/**
 * Removes every occurrence of the given secrets from a text (for output built from strings
 * that may carry them: error messages, traces). Secrets shorter than 3 characters are left,
 * as they would mask ordinary text.
 */
export function scrubSecrets(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const s of secrets) {
    if (s === undefined || s.length < 3) continue;
    out = out.split(s).join(redactValue(s));
    const hex = Buffer.from(s).toString('hex');
    out = out.split(hex).join(redactValue(s));
    const spaced = hex.replace(/(..)(?!$)/g, '$1 ');
    out = out.split(spaced).join(redactValue(s));
  }
  return out;
}

const SECRETS = Symbol.for('mqtt-harness.secrets');
type Holder = { [SECRETS]?: Set<string> };

/** Remembers secrets of this run (the target's passwords) so that every output can scrub them. */
export function registerSecrets(secrets: Iterable<string | undefined>): void {
  const g = globalThis as Holder;
  g[SECRETS] ??= new Set();
  for (const s of secrets) if (s !== undefined && s.length >= 3) g[SECRETS].add(s);
}

/** The secrets registered in this process. */
export const knownSecrets = (): string[] => [...((globalThis as Holder)[SECRETS] ?? [])];
