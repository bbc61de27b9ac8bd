import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeRun, type RunData } from './model.ts';
import { scrubReport } from './scrub.ts';

/**
 * A RUN argument: a compliance.json, a directory holding one, or a directory whose
 * subdirectories hold one each (reports/matrix/ → one run per broker, in name order).
 */
export function resolveRunPaths(arg: string): string[] {
  if (!existsSync(arg)) throw new Error(`${arg}: no such file or directory`);
  if (!statSync(arg).isDirectory()) return [arg];
  const own = join(arg, 'compliance.json');
  if (existsSync(own)) return [own];
  const nested = readdirSync(arg)
    .sort()
    .map((d) => join(arg, d, 'compliance.json'))
    .filter((p) => existsSync(p));
  if (nested.length === 0) throw new Error(`${arg}: no compliance.json in it or in its subdirectories`);
  return nested;
}

/** The first run of an argument (see resolveRunPaths). */
export function resolveRunPath(arg: string): string {
  return resolveRunPaths(arg)[0]!;
}

/** The parsed report with secrets scrubbed (URL passwords, password fields, CONNECT password bytes). */
export function readReport(path: string): unknown {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  return scrubReport(data, [process.env.MQTT_PASSWORD, process.env.MQTT_PASSWORD2]);
}

/**
 * Every run, read and checked; all bad arguments are reported together in one error.
 */
export function loadRuns(args: readonly string[]): { runs: RunData[]; raw: unknown[] } {
  const errors: string[] = [];
  const runs: RunData[] = [];
  const raw: unknown[] = [];
  for (const arg of args) {
    let paths: string[];
    try {
      paths = resolveRunPaths(arg);
    } catch (e) {
      errors.push((e as Error).message);
      continue;
    }
    for (const path of paths) {
      try {
        const data = readReport(path);
        runs.push(normalizeRun(data, `r${runs.length + 1}`, path));
        raw.push(data);
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
  }
  if (errors.length) throw new Error(errors.join('\n'));
  return { runs, raw };
}
