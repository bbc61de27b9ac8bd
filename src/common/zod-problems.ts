/**
 * Every problem with some config data in one pass, as "key.path: what is wrong" lines: zod's
 * issues with the value found, unknown keys with a close match ("unknown key `interval` (did
 * you mean `interval_ms`?)"), and no "missing interval_ms" line when a misspelt key already
 * explains it. Used by the broker config, link profiles, toxics and fleet scenarios.
 */
import type { z } from 'zod';
import { closeMatch } from './close-match.ts';

export interface Problem {
  /** Key path, e.g. "listeners[0].port" ("" for the top level). */
  path: string;
  message: string;
}

/** listeners[0].port style path; a prefix (e.g. "toxics[2]") is put in front. */
export function keyPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : `${out === '' ? '' : '.'}${String(k)}`;
  return out;
}

/** "path: message", with "(top level)" for an empty path. */
export const problemLine = (p: Problem): string => `${p.path === '' ? '(top level)' : p.path}: ${p.message}`;

export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** A short rendering of a found value for "got ..." (never the whole of a big value). */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (v !== null && typeof v === 'object') return 'a mapping';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

type AnySchema = z.core.$ZodType;
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional', 'lazy']);

function unwrap(s: AnySchema): AnySchema {
  for (let i = 0; i < 20; i++) {
    const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
    if (WRAPPERS.has(def.type) && def.innerType !== undefined) s = def.innerType as AnySchema;
    else if (def.type === 'lazy' && typeof def.getter === 'function') s = (def.getter as () => AnySchema)();
    else if (def.type === 'pipe') {
      const inner = def.in as AnySchema;
      s = inner._zod.def.type === 'transform' ? (def.out as AnySchema) : inner;
    } else break;
  }
  return s;
}

/** The schema that describes the value at `path`, if the walk can follow it. */
export function schemaAt(schema: AnySchema, path: readonly PropertyKey[]): AnySchema | undefined {
  let s: AnySchema | undefined = unwrap(schema);
  for (const k of path) {
    if (s === undefined) return undefined;
    const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
    if (def.type === 'object') s = (def.shape as Record<string, AnySchema>)[String(k)];
    else if (def.type === 'array') s = def.element as AnySchema;
    else if (def.type === 'record') s = def.valueType as AnySchema;
    else return undefined;
    if (s !== undefined) s = unwrap(s);
  }
  return s;
}

/** The keys an object schema knows at `path`; undefined when it is not an object schema. */
export function objectKeys(schema: AnySchema, path: readonly PropertyKey[] = []): string[] | undefined {
  const s = schemaAt(schema, path);
  const def = s?._zod.def as unknown as { type: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : undefined;
}

/** The keys an object schema knows at `path` (empty when it is not an object schema). */
export const knownKeys = (schema: AnySchema, path: readonly PropertyKey[] = []): string[] =>
  objectKeys(schema, path) ?? [];

/** "unknown key `k` (did you mean `x`?)" and the suggestion (if any). */
export function unknownKey(key: string, known: readonly string[]): { message: string; suggestion?: string } {
  const m = closeMatch(key, known);
  return { message: `unknown key \`${key}\`${m ? ` (did you mean \`${m}\`?)` : ''}`, ...(m ? { suggestion: m } : {}) };
}

/**
 * Keys of `value` that `known` does not list, as problems (for schemas that are not strict,
 * such as toxic attributes). `path` is where `value` sits.
 */
export function unknownKeyProblems(value: unknown, known: readonly string[], path: string): Problem[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const known_ = new Set(known);
  return Object.keys(value)
    .filter((k) => !known_.has(k))
    .map((k) => ({ path: path === '' ? k : `${path}.${k}`, message: unknownKey(k, known).message }));
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  bigint: 'an integer',
  date: 'a date',
};

/**
 * The issue's message in the project's words ("expected an integer, ..."): schemas that set
 * their own message keep it; zod's generic ones ("Invalid input: expected int, received
 * number", "Too big: ...") are rephrased from the issue's fields.
 */
export function plainMessage(i: z.core.$ZodIssue): string {
  if (!/^(Invalid input|Too big|Too small|Invalid option)\b/.test(i.message)) return i.message;
  const unit = (origin: string): string => (origin === 'string' ? ' characters' : origin === 'array' ? ' items' : '');
  switch (i.code) {
    case 'invalid_type':
      return `expected ${TYPE_WORDS[i.expected] ?? i.expected}`;
    case 'too_big':
      return `expected ${i.inclusive === false ? 'less than' : 'at most'} ${String(i.maximum)}${unit(i.origin)}`;
    case 'too_small':
      if (i.origin === 'string' && Number(i.minimum) === 1) return 'expected a non-empty string';
      return `expected ${i.inclusive === false ? 'more than' : 'at least'} ${String(i.minimum)}${unit(i.origin)}`;
    case 'invalid_value':
      return `expected one of ${i.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return i.message;
  }
}

/**
 * Turns zod issues into problems. Unknown keys get a close match among the keys the schema
 * knows there; a "required key missing" issue is dropped when an unknown key next to it was
 * suggested as that very key (the typo is the one problem).
 */
export function zodProblems(
  schema: AnySchema,
  data: unknown,
  issues: readonly z.core.$ZodIssue[],
  prefix = '',
): Problem[] {
  const out: Problem[] = [];
  const suggested = new Set<string>();
  for (const i of issues) {
    if (i.code !== 'unrecognized_keys') continue;
    const known = knownKeys(schema, i.path);
    for (const k of i.keys) {
      const u = unknownKey(k, known);
      if (u.suggestion !== undefined) suggested.add(keyPath([...i.path, u.suggestion], prefix));
      out.push({ path: keyPath([...i.path, k], prefix), message: u.message });
    }
  }
  for (const i of issues) {
    if (i.code === 'unrecognized_keys') continue;
    const path = keyPath(i.path, prefix);
    const value = valueAt(data, i.path);
    if (value === undefined && suggested.has(path)) continue;
    const message = plainMessage(i);
    out.push({
      path,
      message:
        value === undefined && i.path.length > 0
          ? `${message}, but it is missing`
          : `${message}, got ${describeValue(value)}`,
    });
  }
  return out;
}

/**
 * Orders problems as their keys appear in the document: by top-level key order in `data`, then
 * by list indices along the path; ties keep their order.
 */
export function inDocumentOrder(problems: readonly Problem[], data: unknown): Problem[] {
  const order = data !== null && typeof data === 'object' && !Array.isArray(data) ? Object.keys(data) : [];
  const rank = (p: Problem): number => {
    const i = order.indexOf(/^[^.[]*/.exec(p.path)?.[0] ?? '');
    return i < 0 ? order.length : i;
  };
  const idx = (p: Problem): number[] => [...p.path.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  const cmpIdx = (a: number[], b: number[]): number => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
    return 0;
  };
  return problems
    .map((p, k) => ({ p, k }))
    .sort((a, b) => rank(a.p) - rank(b.p) || cmpIdx(idx(a.p), idx(b.p)) || a.k - b.k)
    .map((x) => x.p);
}

/**
 * Every problem with `data` against an object `schema`, its unknown top-level keys included even
 * when the schema itself is not strict (e.g. toxic attributes), with the same typo rule.
 */
export function checkObject(schema: AnySchema, data: unknown, prefix = ''): Problem[] {
  const r = (schema as z.ZodType).safeParse(data);
  const issues: z.core.$ZodIssue[] = r.success ? [] : [...r.error.issues];
  const known = objectKeys(schema);
  const strictAlready = issues.some((i) => i.code === 'unrecognized_keys' && i.path.length === 0);
  if (known !== undefined && !strictAlready && data !== null && typeof data === 'object' && !Array.isArray(data)) {
    const extra = Object.keys(data).filter((k) => !known.includes(k));
    if (extra.length > 0)
      issues.unshift({
        code: 'unrecognized_keys',
        keys: extra,
        path: [],
        message: 'unknown keys',
        input: data,
      } as z.core.$ZodIssue);
  }
  return zodProblems(schema, data, issues, prefix);
}
