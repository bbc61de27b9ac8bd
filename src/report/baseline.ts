import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parse as parseYaml, stringify } from 'yaml';
import { z } from 'zod';
import { didYouMean } from '../common/close-match.ts';

/**
 * A baseline (ratchet) file: the scenarios a broker build is expected to fail, each with the
 * statements, the evidence seen, and a note from the person who checked that the failure is the
 * broker's. A run judged against it breaks the ratchet only with a new failure; a fixed failure
 * is reported, and `--update` removes it, so the file can only shrink (`--record` writes a new
 * one from a run). scenarios/expectations/mosquitto-2.0.11.yaml is one.
 */
export interface BaselineEntry {
  /** Feature file, e.g. features/malformed/fixed-header.feature. */
  feature: string;
  /** Scenario name; rows of one Scenario Outline are told apart as "name [example N]". */
  scenario: string;
  version: '3.1.1' | '5.0';
  statements: string[];
  /** What the broker did, from the packet trace. */
  evidence: string;
  /** What a person found when checking that the failure is the broker's, not the harness's. */
  note?: string;
  /** Deprecated (timing-dependent); read for old files, never written by --record. */
  flaky?: boolean;
}

export interface BaselineFile {
  broker: string;
  failures: BaselineEntry[];
}

const ENTRY_KEYS = ['feature', 'scenario', 'version', 'statements', 'evidence', 'note', 'flaky'];
const Schema = z
  .object({
    broker: z.string(),
    failures: z
      .array(
        z
          .object({
            feature: z.string(),
            scenario: z.string(),
            version: z.union([z.literal('3.1.1'), z.literal('5.0')]),
            statements: z.array(z.string()),
            evidence: z.string(),
            note: z.string().optional(),
            flaky: z.boolean().optional(),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

/** Reads and checks a baseline file; every problem is named in one error (unknown keys with a close match). */
export function loadBaseline(path: string): BaselineFile {
  if (!existsSync(path)) throw new Error(`baseline file ${path} does not exist (create one with --record)`);
  let data: unknown;
  try {
    data = parseYaml(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not valid YAML: ${(e as Error).message}`, { cause: e });
  }
  const r = Schema.safeParse(data);
  if (!r.success) {
    const issues = r.error.issues.map((i) => {
      const where = i.path.join('.') || '(top)';
      if (i.code === 'unrecognized_keys') {
        const keys = (i as { keys: string[] }).keys;
        const known = i.path.length === 0 ? ['broker', 'failures'] : ENTRY_KEYS;
        return `${where}: unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"${didYouMean(k, known)}`).join(', ')}`;
      }
      return `${where}: ${i.message}`;
    });
    throw new Error(`${path}: ${issues.join('; ')}`);
  }
  return r.data;
}

export const entryKey = (f: { feature: string; scenario: string; version?: string }): string =>
  `${f.feature} | ${f.scenario} | MQTT ${f.version ?? '?'}`;

/** The part of a scenario result the ratchet reads (either schema of compliance.json). */
export interface JudgedOutcome {
  name: string;
  where: string;
  version?: string;
  statementIds: string[];
  /** One of the five outcome words. */
  kind: string;
  /** Why an inconclusive scenario was inconclusive. */
  cause?: string;
  detail?: string;
  trace?: string;
  durationMs?: number;
}

/** Every outcome in baseline-entry form (evidence: the first 30 lines of the detail and trace). */
export function entriesOf<O extends JudgedOutcome>(
  outcomes: readonly O[],
): Array<{ outcome: O; entry: BaselineEntry }> {
  // Examples rows of one outline share a name: number them in line order to keep keys apart.
  const lineOf = (o: O): number => Number(/:(\d+)$/.exec(o.where)?.[1] ?? 0);
  const group = (o: O): string => `${o.where.replace(/:\d+$|:\?$/, '')}|${o.name}|${o.version}`;
  const groups = new Map<string, O[]>();
  for (const o of outcomes) groups.set(group(o), [...(groups.get(group(o)) ?? []), o]);
  const nameOf = (o: O): string => {
    const g = groups.get(group(o))!;
    if (g.length < 2) return o.name;
    const i = [...g].sort((a, b) => lineOf(a) - lineOf(b)).indexOf(o);
    return `${o.name} [example ${i + 1}]`;
  };
  return outcomes.map((o) => ({
    outcome: o,
    entry: {
      feature: o.where.replace(/:\d+$|:\?$/, ''),
      scenario: nameOf(o),
      version: (o.version ?? '5.0') as '3.1.1' | '5.0',
      statements: o.statementIds,
      evidence: [o.detail, o.trace].filter(Boolean).join('\n').split('\n').slice(0, 30).join('\n'),
    },
  }));
}

/** The failures of a run, in baseline form. Only `failed` counts: an inconclusive scenario is no evidence. */
export function failuresOf(outcomes: readonly JudgedOutcome[]): BaselineEntry[] {
  return entriesOf(outcomes)
    .filter((e) => e.outcome.kind === 'failed')
    .map((e) => e.entry);
}

/** This run's failures as a new baseline, keeping the notes written for the ones already there. */
export function recordBaseline(previous: readonly BaselineEntry[], actual: readonly BaselineEntry[]): BaselineEntry[] {
  const prev = new Map(previous.map((f) => [entryKey(f), f]));
  return actual.map((f) => {
    const p = prev.get(entryKey(f));
    return p?.note ? { ...f, note: p.note } : f;
  });
}

export function renderBaseline(file: BaselineFile, header = ''): string {
  return `${header}${stringify(file, { lineWidth: 0 })}`;
}

export const BASELINE_HEADER = (broker: string): string =>
  `# Scenarios ${broker} is expected to fail, with the evidence seen and a note for each.\n` +
  '# A new failure breaks the ratchet (exit 1); a fixed one is reported and removed by --update.\n' +
  "# Record a new file with --record (notes are kept; check every new entry is the broker's fault and write a note).\n";

export function writeBaseline(path: string, file: BaselineFile): void {
  writeFileSync(path, renderBaseline(file, BASELINE_HEADER(file.broker)));
}
