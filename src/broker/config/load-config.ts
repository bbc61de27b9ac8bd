import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { keyPath, problemLine } from '../../common/zod-problems.ts';
import { brokerConfigSchema, type BrokerConfig } from './schema.ts';
import { configProblems } from './config-problems.ts';

import { ConfigError } from './config-error.ts';

export { ConfigError };

/** listeners[0].port style path. */
export function formatPath(path: readonly PropertyKey[]): string {
  return keyPath(path) || '(top level)';
}

/**
 * Validates already-parsed data (from YAML or from code); throws one ConfigError listing every
 * problem: bad values, unknown keys (with a close match), listener, user and ACL rules.
 */
export function validateConfig(data: unknown, source = 'config'): BrokerConfig {
  const problems = configProblems(data ?? {});
  if (problems.length > 0) throw new ConfigError(source, problems.map(problemLine));
  return brokerConfigSchema.parse(data ?? {});
}

/** Parses YAML text; YAML syntax errors name line and column. */
export function parseConfig(text: string, source = 'config'): BrokerConfig {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      source,
      doc.errors.map(
        (e) => `line ${e.linePos?.[0].line ?? '?'}, column ${e.linePos?.[0].col ?? '?'}: ${e.message.split('\n')[0]}`,
      ),
    );
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
