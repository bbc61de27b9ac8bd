import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { core } from 'zod';
import { brokerConfigSchema, type BrokerConfig } from './schema.ts';
import { UserStore } from '../auth/index.ts';

/** A config file problem; `problems` lists each one as "path: what is wrong". */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(problems.map((p) => `${source}: ${p}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/** listeners[0].port style path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : `${out === '' ? '' : '.'}${String(k)}`;
  return out === '' ? '(top level)' : out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (v !== null && typeof v === 'object') return 'a mapping';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function issueText(root: unknown, i: core.$ZodIssue): string[] {
  if (i.code === 'unrecognized_keys') return i.keys.map((k) => `${formatPath([...i.path, k])}: unknown key`);
  return [`${formatPath(i.path)}: ${i.message}, got ${describe(valueAt(root, i.path))}`];
}

/** Validates already-parsed data (from YAML or from code); throws ConfigError listing every problem. */
export function validateConfig(data: unknown, source = 'config'): BrokerConfig {
  const r = brokerConfigSchema.safeParse(data ?? {});
  if (!r.success) throw new ConfigError(source, r.error.issues.flatMap((i) => issueText(data, i)));
  const cfg = r.data;
  const problems: string[] = [];
  cfg.listeners?.forEach((l, n) => {
    if ((l.protocol === 'mqtts' || l.protocol === 'wss') && (l.cert === undefined || l.key === undefined)) {
      problems.push(`listeners[${n}]: a ${l.protocol} listener needs cert and key`);
    }
    if ((l.protocol === 'mqtt' || l.protocol === 'ws') && (l.cert ?? l.key ?? l.ca) !== undefined) {
      problems.push(`listeners[${n}]: cert/key/ca only apply to mqtts and wss listeners`);
    }
    if (l.path !== undefined && l.protocol !== 'ws' && l.protocol !== 'wss') problems.push(`listeners[${n}].path: only ws and wss listeners have a path`);
  });
  cfg.users?.forEach((u, n) => {
    try {
      new UserStore([u]);
    } catch (e) {
      problems.push(`users[${n}]: ${(e as Error).message}`);
    }
    if (cfg.users!.findIndex((o) => o.username === u.username) !== n) problems.push(`users[${n}].username: "${u.username}" is listed twice`);
  });
  cfg.acl?.forEach((r, n) => {
    const bad = filterProblem(r.topic);
    if (bad !== undefined) problems.push(`acl[${n}].topic: ${bad}, got ${JSON.stringify(r.topic)}`);
  });
  if (problems.length > 0) throw new ConfigError(source, problems);
  return cfg;
}

/** Why a rule pattern is not a valid MQTT topic filter, or undefined when it is. */
function filterProblem(f: string): string | undefined {
  const levels = f.split('/');
  for (const [i, l] of levels.entries()) {
    if (l.includes('#') && (l !== '#' || i !== levels.length - 1)) return '"#" must be a whole level and the last one';
    if (l.includes('+') && l !== '+') return '"+" must be a whole level';
  }
  if (f.includes('\u0000')) return 'a topic filter must not contain U+0000';
  return undefined;
}

/** Parses YAML text; YAML syntax errors name line and column. */
export function parseConfig(text: string, source = 'config'): BrokerConfig {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(source, doc.errors.map((e) => `line ${e.linePos?.[0].line ?? '?'}, column ${e.linePos?.[0].col ?? '?'}: ${e.message.split('\n')[0]}`));
  }
  return validateConfig(doc.toJS(), source);
}

/** Reads and validates a config file; relative cert/key/ca and file: persistence paths are made absolute against the file's folder. */
export function loadConfigFile(path: string): BrokerConfig {
  const name = path.split('/').pop() ?? path;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(name, [`cannot read ${path}: ${(e as Error).message}`]);
  }
  const cfg = parseConfig(text, name);
  const base = dirname(resolve(path));
  const abs = (p: string | undefined) => (p === undefined || isAbsolute(p) ? p : resolve(base, p));
  cfg.listeners = cfg.listeners?.map((l) => ({ ...l, cert: abs(l.cert), key: abs(l.key), ca: abs(l.ca) }));
  if (cfg.persistence?.startsWith('file:')) cfg.persistence = `file:${abs(cfg.persistence.slice(5))}`;
  return cfg;
}
