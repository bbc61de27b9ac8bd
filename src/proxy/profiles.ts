/**
 * Link profiles: named sets of toxics in scenarios/links/*.yaml (e.g. 2g-edge, satellite,
 * flaky-cellular). Validated with zod; errors name the file, the key path and the problem.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { formatZodError } from './toxics/attrs.ts';
import { normalizeToxic, ToxicError } from './toxics/registry.ts';
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

const profileSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    description: z.string().min(1),
    toxics: z.array(z.record(z.string(), z.unknown())),
  })
  .strict();

export class ProfileError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    problem: string,
  ) {
    super(`${file}: ${path === '' ? '' : `${path}: `}${problem}`);
    this.name = 'ProfileError';
  }
}

/** Validates profile data (already parsed from YAML/JSON); `file` is used in error messages. */
export function parseProfile(data: unknown, file: string): LinkProfile {
  const r = profileSchema.safeParse(data);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new ProfileError(file, i.path.map(String).join('.'), formatZodError(r.error).replace(/^[^:]*: /, ''));
  }
  const names = new Set<string>();
  r.data.toxics.forEach((t, i) => {
    try {
      const { spec } = normalizeToxic(t, `toxics[${i}]`);
      if (names.has(spec.name)) throw new ToxicError(`toxics[${i}].name: duplicate toxic name "${spec.name}"`, `toxics[${i}].name`);
      names.add(spec.name);
    } catch (e) {
      if (!(e instanceof ToxicError)) throw e;
      const problem = e.message.startsWith(`${e.field}: `) ? e.message.slice(e.field.length + 2) : e.message;
      throw new ProfileError(file, e.field, problem);
    }
  });
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
  if (!isPath && p.name !== nameOrPath) throw new ProfileError(file, 'name', `is "${p.name}" but the file is ${basename(file)}`);
  return p;
}

export function listProfiles(dir = profileDir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -5))
    .sort();
}
