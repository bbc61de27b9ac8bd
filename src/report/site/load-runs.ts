import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeRun, type RunData } from './model.ts';
import { scrubReport } from './scrub.ts';

/** A RUN argument: a compliance.json, or a directory holding one. */
export function resolveRunPath(arg: string): string {
  if (!existsSync(arg)) throw new Error(`${arg}: no such file or directory`);
  if (statSync(arg).isDirectory()) {
    const p = join(arg, 'compliance.json');
    if (!existsSync(p)) throw new Error(`${arg}: directory without a compliance.json`);
    return p;
  }
  return arg;
}

/** The parsed report with secrets scrubbed (URL passwords, password fields, CONNECT password bytes). */
export function readReport(path: string): unknown {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not valid JSON: ${(e as Error).message}`);
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
  args.forEach((arg, i) => {
    try {
      const path = resolveRunPath(arg);
      const data = readReport(path);
      runs.push(normalizeRun(data, `r${i + 1}`, path));
      raw.push(data);
    } catch (e) {
      errors.push((e as Error).message);
    }
  });
  if (errors.length) throw new Error(errors.join('\n'));
  return { runs, raw };
}
