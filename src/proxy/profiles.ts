/**
 * Link profiles: named sets of toxics in scenarios/links/*.yaml (e.g. 2g-edge, satellite,
 * flaky-cellular). Validated with zod; one error lists every problem, each with the file, the
 * key path and a close match for a misspelt key.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { inDocumentOrder, zodProblems, type Problem } from '../common/zod-problems.ts';
import { normalizeToxic, toxicProblems } from './toxics/registry.ts';
import type { ToxicInput } from './types.ts';

export interface LinkProfile {
  name: string;
  description: string;
  toxics: ToxicInput[];
  /** The file it came from, when loaded from one. */
  file?: string;
}

/** scenarios/links of this checkout. */
export const profileDir = resolve(fileURLToPath(new URL('../../scenarios/links/', import.meta.url)));

const profileSchema = z.strictObject({
  name: z
    .string({ error: 'expected a string' })
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lower-case letters, digits and dashes'),
  description: z.string({ error: 'expected a string' }).min(1, 'expected a non-empty string'),
  toxics: z.array(z.record(z.string(), z.unknown(), { error: 'expected a mapping (type:, attributes: ...)' }), {
    error: 'expected a list of toxics',
  }),
});

/** Every problem with a profile file; the message has one "file: key.path: problem" line each. */
export class ProfileError extends Error {
  /** Key path of the first problem ('' for the file as a whole). */
  readonly path: string;

  constructor(
    readonly file: string,
    path: string,
    problem: string,
    readonly problems: Problem[] = [{ path, message: problem }],
  ) {
    super(problems.map((p) => `${file}: ${p.path === '' ? '' : `${p.path}: `}${p.message}`).join('\n'));
    this.name = 'ProfileError';
    this.path = problems[0]?.path ?? path;
  }

  static of(file: string, problems: Problem[]): ProfileError {
    return new ProfileError(file, problems[0].path, problems[0].message, problems);
  }
}

/** Validates profile data (already parsed from YAML/JSON); `file` is used in error messages. Reports every problem at once. */
export function parseProfile(data: unknown, file: string): LinkProfile {
  const r = profileSchema.safeParse(data);
  const problems: Problem[] = r.success ? [] : zodProblems(profileSchema, data, r.error.issues);
  const toxics =
    data !== null && typeof data === 'object' && Array.isArray((data as { toxics?: unknown }).toxics)
      ? (data as { toxics: unknown[] }).toxics
      : [];
  const names = new Map<string, number>();
  toxics.forEach((t, i) => {
    if (t === null || typeof t !== 'object' || Array.isArray(t)) return; // the schema said so
    const own = toxicProblems(t, `toxics[${i}]`);
    problems.push(...own);
    if (own.length > 0) return;
    const { spec } = normalizeToxic(t, `toxics[${i}]`);
    const first = names.get(spec.name);
    if (first !== undefined)
      problems.push({
        path: `toxics[${i}].name`,
        message: `duplicate toxic name "${spec.name}" (also toxics[${first}])`,
      });
    else names.set(spec.name, i);
  });
  if (problems.length > 0 || !r.success) throw ProfileError.of(file, inDocumentOrder(problems, data));
  return { name: r.data.name, description: r.data.description, toxics: r.data.toxics as unknown as ToxicInput[], file };
}

/** Reads a profile by name (from scenarios/links) or by path to a .yaml/.yml/.json file. */
export function loadProfile(nameOrPath: string, dir = profileDir): LinkProfile {
  const isPath = /[/\\]|\.(ya?ml|json)$/i.test(nameOrPath);
  const file = isPath ? resolve(nameOrPath) : join(dir, `${nameOrPath}.yaml`);
  if (!existsSync(file)) {
    const known = isPath ? '' : ` (known profiles: ${listProfiles(dir).join(', ')})`;
    throw new ProfileError(file, '', `no such profile file${known}`);
  }
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'), { prettyErrors: true });
  } catch (e) {
    throw new ProfileError(file, '', `not valid YAML: ${(e as Error).message}`);
  }
  const p = parseProfile(data, file);
  if (!isPath && p.name !== nameOrPath)
    throw new ProfileError(file, 'name', `is "${p.name}" but the file is ${basename(file)}`);
  return p;
}

export function listProfiles(dir = profileDir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -5))
    .sort();
}
