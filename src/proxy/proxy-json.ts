/**
 * A proxy as JSON in the HTTP control API: the fields a proxy may be created or updated with
 * (checked all at once, with a close match for a typo) and the JSON a proxy is answered as
 * (Toxiproxy's field names).
 */
import { formatHostPort } from './address.ts';
import { HttpError } from './http-request.ts';
import type { Proxy } from './proxy-api.ts';
import { problemLine, unknownKeyProblems, type Problem } from '../common/zod-problems.ts';
import { closeMatch } from '../common/close-match.ts';
import type { ToxicSpec } from './types.ts';

/** Fields a proxy may be created or updated with (Toxiproxy's, plus seed / profile / mqtt), and their JSON types. */
const PROXY_FIELDS = {
  name: 'string',
  listen: 'string',
  upstream: 'string',
  enabled: 'boolean',
  seed: 'number',
  profile: 'string',
  mqtt: 'boolean',
} as const;

/**
 * Checks a proxy body in one pass: unknown fields (with a close match), wrong types, missing
 * required fields. Throws a 400 naming every problem.
 */
export function checkProxyFields(o: Record<string, unknown>, required: readonly (keyof typeof PROXY_FIELDS)[]): void {
  const bad = proxyFieldProblems(o, required, '');
  if (bad.length > 0) throw badRequest(bad);
}
export function proxyFieldProblems(o: Record<string, unknown>, required: readonly string[], at: string): Problem[] {
  const bad = unknownKeyProblems(o, Object.keys(PROXY_FIELDS), at);
  const path = (k: string): string => (at === '' ? k : `${at}.${k}`);
  const known = Object.keys(PROXY_FIELDS);
  const typoFor = new Set(
    Object.keys(o)
      .filter((k) => !known.includes(k))
      .map((k) => closeMatch(k, known)),
  );
  for (const [key, type] of Object.entries(PROXY_FIELDS)) {
    const v = o[key];
    if (v === undefined) {
      if (required.includes(key) && !typoFor.has(key)) bad.push({ path: path(key), message: 'missing required field' });
    } else if (typeof v !== type)
      bad.push({ path: path(key), message: `expected a ${type}, got ${JSON.stringify(v)}` });
  }
  return bad;
}

export const badRequest = (bad: Problem[]): HttpError =>
  new HttpError(
    400,
    bad.map(problemLine).join('; '),
    bad.map((p) => ({ field: p.path, message: p.message })),
  );
export function proxyJson(p: Proxy): {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: ToxicSpec[];
} {
  return {
    name: p.name,
    listen: formatHostPort(p.host, p.port),
    upstream: p.upstream,
    enabled: p.enabled,
    toxics: p.toxics(),
  };
}
