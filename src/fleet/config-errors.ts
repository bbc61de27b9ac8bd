/**
 * Turns every zod issue of a config into one line naming the key path, all at once. An unknown
 * key is reported as such with a close match among the keys allowed there ("unknown key
 * `interval` (did you mean `interval_ms`?)"), and the "required" complaint about the key it was
 * probably meant to be is then dropped, so a typo gives one error, not two.
 */
import { z } from 'zod';
import { closeMatch, didYouMean } from '../common/index.ts';

export interface ConfigIssue {
  /** Dotted key path ("devices.publish.interval_ms"); "" for the document itself. */
  path: string;
  message: string;
}

/** The keys an object schema allows at `path` (through arrays, records, optionals, defaults). */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s: unknown = schema;
  const unwrap = (x: unknown): unknown => {
    for (let i = 0; i < 10; i++) {
      const d = (
        x as { def?: { type?: string; innerType?: unknown; in?: unknown; schema?: unknown; options?: unknown[] } }
      ).def;
      if (d === undefined) return x;
      if (d.innerType !== undefined) x = d.innerType;
      else if (d.type === 'pipe' && d.in !== undefined) x = d.in;
      else return x;
    }
    return x;
  };
  for (const k of [...path, undefined]) {
    s = unwrap(s);
    const d = (
      s as {
        def?: {
          type?: string;
          shape?: Record<string, unknown>;
          element?: unknown;
          options?: unknown[];
          valueType?: unknown;
        };
      }
    ).def;
    if (d === undefined) return [];
    if (k === undefined) {
      if (d.type === 'object' && d.shape) return Object.keys(d.shape);
      if (d.type === 'union' && d.options) return d.options.flatMap((o) => keysAt(o as z.ZodType, []));
      return [];
    }
    if (d.type === 'object' && d.shape) s = d.shape[String(k)];
    else if (d.type === 'array') s = d.element;
    else if (d.type === 'record') s = d.valueType;
    else if (d.type === 'union' && d.options) {
      const o = d.options
        .map((x) => unwrap(x))
        .find((x) => (x as { def?: { shape?: Record<string, unknown> } }).def?.shape?.[String(k)] !== undefined);
      if (o === undefined) return [];
      s = (o as { def: { shape: Record<string, unknown> } }).def.shape[String(k)];
    } else return [];
    if (s === undefined) return [];
  }
  return [];
}

const dotted = (p: readonly PropertyKey[]): string =>
  p
    .map((x) => (typeof x === 'number' ? `[${x}]` : String(x)))
    .join('.')
    .replace(/\.\[/g, '[');

/** Every problem in `error`, typos as unknown keys with a suggestion, in document order. */
export function configIssues(schema: z.ZodType, error: z.ZodError, data?: unknown): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const meant = new Set<string>();
  for (const i of error.issues) {
    if (i.code !== 'unrecognized_keys') continue;
    const allowed = keysAt(schema, i.path);
    for (const k of i.keys) {
      const m = closeMatch(k, allowed);
      if (m !== undefined) meant.add(dotted([...i.path, m]));
      out.push({ path: dotted([...i.path, k]), message: `unknown key \`${k}\`${didYouMean(k, allowed)}` });
    }
  }
  for (const i of error.issues) {
    if (i.code === 'unrecognized_keys') continue;
    const path = dotted(i.path);
    const missing =
      data !== undefined
        ? i.path.length > 0 && valueAt(data, i.path) === undefined && parentIsObject(data, i.path)
        : i.code === 'invalid_type' && /received undefined/.test(i.message);
    if (missing && meant.has(path)) continue;
    out.push({ path, message: missing ? 'required key is missing' : i.message });
  }
  return out;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k as string];
  }
  return v;
}

const parentIsObject = (data: unknown, path: readonly PropertyKey[]): boolean => {
  const p = valueAt(data, path.slice(0, -1));
  return p !== null && typeof p === 'object';
};

/** "file: path: message" lines, one per issue. */
export function formatIssues(file: string, issues: readonly ConfigIssue[]): string {
  return issues.map((i) => `${file}: ${i.path === '' ? '' : `${i.path}: `}${i.message}`).join('\n');
}
