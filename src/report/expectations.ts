import { readFileSync, existsSync } from 'node:fs';
import { parse as parseYaml, stringify } from 'yaml';
import { z } from 'zod';
import type { ScenarioOutcome } from './verdicts.ts';

/**
 * The scenarios a known broker build is expected to fail, with the statement and the
 * evidence seen. A conformance run against that build is compared with this list: any
 * change (a new failure, or an expected failure that now passes) is reported.
 */
export interface ExpectedFailure {
  /** Feature file, e.g. features/malformed/fixed-header.feature. */
  feature: string;
  scenario: string;
  version: '3.1.1' | '5.0';
  statements: string[];
  /** What the broker did, from the packet trace. */
  evidence: string;
  /** What a person found when checking that the failure is the broker's, not the harness's. */
  note?: string;
  /** Timing-dependent on this broker: it may pass or fail; the comparison ignores it. */
  flaky?: boolean;
}

export interface ExpectationFile {
  broker: string;
  failures: ExpectedFailure[];
}

const Schema = z.object({
  broker: z.string(),
  failures: z.array(z.object({
    feature: z.string(),
    scenario: z.string(),
    version: z.union([z.literal('3.1.1'), z.literal('5.0')]),
    statements: z.array(z.string()),
    evidence: z.string(),
    note: z.string().optional(),
    flaky: z.boolean().optional(),
  }).strict()).default([]),
}).strict();

export function loadExpectations(path: string): ExpectationFile {
  if (!existsSync(path)) throw new Error(`expectation file ${path} does not exist`);
  let data: unknown;
  try {
    data = parseYaml(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not valid YAML: ${(e as Error).message}`);
  }
  const r = Schema.safeParse(data);
  if (!r.success) throw new Error(`${path}: ${r.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  return r.data;
}

export const failureKey = (f: { feature: string; scenario: string; version?: string }): string =>
  `${f.feature} | ${f.scenario} | MQTT ${f.version ?? '?'}`;

/** Every outcome in expectation-file form (evidence: the first lines of the detail). */
export function entriesOf(outcomes: readonly ScenarioOutcome[]): Array<{ outcome: ScenarioOutcome; entry: ExpectedFailure }> {
  // Examples rows of one outline share a name: number them in line order to keep keys apart.
  const lineOf = (o: ScenarioOutcome): number => Number(/:(\d+)$/.exec(o.where)?.[1] ?? 0);
  const group = (o: ScenarioOutcome): string => `${o.where.replace(/:\d+$|:\?$/, '')}|${o.name}|${o.version}`;
  const groups = new Map<string, ScenarioOutcome[]>();
  for (const o of outcomes) groups.set(group(o), [...(groups.get(group(o)) ?? []), o]);
  const nameOf = (o: ScenarioOutcome): string => {
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
      evidence: (o.detail ?? '').split('\n').slice(0, 30).join('\n'),
    },
  }));
}

const isFailure = (o: ScenarioOutcome): boolean => o.kind === 'failed' || o.kind === 'inconclusive';

/** The failures of a run, in expectation-file form. */
export function failuresOf(outcomes: readonly ScenarioOutcome[]): ExpectedFailure[] {
  return entriesOf(outcomes).filter((e) => isFailure(e.outcome)).map((e) => e.entry);
}

/** One scenario judged against the expectation file. */
export interface JudgedScenario {
  key: string;
  feature: string;
  scenario: string;
  version: string;
  /** The outcome matches the expectation. */
  ok: boolean;
  /** Why it does not (with the evidence), or how it matched. */
  message: string;
  durationMs?: number;
}

/**
 * Judges every scenario of a run against the expected failures: an expected failure must fail,
 * any other scenario must pass or be not applicable; `flaky` entries pass either way. Expected
 * failures of scenarios that did not run at all are judged too (they fail: the list is stale).
 */
export function judgeRun(expected: readonly ExpectedFailure[], outcomes: readonly ScenarioOutcome[]): JudgedScenario[] {
  const exp = new Map(expected.map((f) => [failureKey(f), f]));
  const seen = new Set<string>();
  const judged = entriesOf(outcomes).map(({ outcome, entry }): JudgedScenario => {
    const key = failureKey(entry);
    seen.add(key);
    const want = exp.get(key);
    const failed = isFailure(outcome);
    const base = { key, feature: entry.feature, scenario: entry.scenario, version: entry.version, durationMs: outcome.durationMs };
    if (want?.flaky) return { ...base, ok: true, message: `flaky on this broker; ${outcome.kind} this time` };
    if (want) {
      return failed
        ? { ...base, ok: true, message: `expected failure reproduced${want.note ? `: ${want.note}` : ''}` }
        : { ...base, ok: false, message: `expected to fail (${want.statements.join(' ')}), but it ${outcome.kind === 'not-applicable' ? `was not applicable: ${outcome.detail ?? ''}` : outcome.kind}; was: ${want.evidence.split('\n')[0]}` };
    }
    return failed
      ? { ...base, ok: false, message: `NEW FAILURE [${entry.statements.join(' ')}]\n${entry.evidence}` }
      : { ...base, ok: true, message: outcome.kind };
  });
  for (const f of expected) {
    const key = failureKey(f);
    if (seen.has(key) || f.flaky) continue;
    judged.push({ key, feature: f.feature, scenario: f.scenario, version: f.version, ok: false, message: `expected to fail, but the scenario did not run (renamed or removed?); was: ${f.evidence.split('\n')[0]}` });
  }
  return judged;
}

const xml = (s: string): string =>
  s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JUnit XML of a judged run: one <testcase> per scenario, a <failure> where the outcome differs from the expectation. */
export function renderJudgedJunit(suite: string, judged: readonly JudgedScenario[]): string {
  const failures = judged.filter((j) => !j.ok).length;
  const seconds = (ms?: number): string => ((ms ?? 0) / 1000).toFixed(3);
  const total = judged.reduce((t, j) => t + (j.durationMs ?? 0), 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(suite)}" tests="${judged.length}" failures="${failures}" time="${seconds(total)}">`,
    `  <testsuite name="${xml(suite)}" tests="${judged.length}" failures="${failures}" errors="0" skipped="0" time="${seconds(total)}">`,
  ];
  for (const j of judged) {
    const head = `    <testcase classname="${xml(j.feature)}" name="${xml(`${j.scenario} (MQTT ${j.version})`)}" time="${seconds(j.durationMs)}"`;
    if (j.ok) lines.push(`${head}/>`);
    else lines.push(`${head}>`, `      <failure message="${xml(j.message.split('\n')[0])}">${xml(j.message)}</failure>`, '    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

export interface ExpectationDiff {
  /** Failing now, not expected. */
  added: ExpectedFailure[];
  /** Expected to fail, but did not fail (passed, not applicable or not run). */
  removed: ExpectedFailure[];
  unchanged: ExpectedFailure[];
}

export function compareFailures(expected: readonly ExpectedFailure[], actual: readonly ExpectedFailure[]): ExpectationDiff {
  const exp = new Map(expected.map((f) => [failureKey(f), f]));
  const act = new Map(actual.map((f) => [failureKey(f), f]));
  return {
    added: actual.filter((f) => !exp.has(failureKey(f))),
    removed: expected.filter((f) => !f.flaky && !act.has(failureKey(f))),
    unchanged: actual.filter((f) => exp.has(failureKey(f))),
  };
}

/**
 * This run's failures, keeping the notes written for the ones already expected, and keeping
 * flaky entries that did not fail this time.
 */
export function mergeNotes(previous: readonly ExpectedFailure[], actual: readonly ExpectedFailure[]): ExpectedFailure[] {
  const prev = new Map(previous.map((f) => [failureKey(f), f]));
  const act = new Set(actual.map(failureKey));
  const merged = actual.map((f) => {
    const p = prev.get(failureKey(f));
    return p ? { ...f, ...(p.note ? { note: p.note } : {}), ...(p.flaky ? { flaky: true } : {}) } : f;
  });
  return [...merged, ...previous.filter((f) => f.flaky && !act.has(failureKey(f)))];
}

export function formatDiff(d: ExpectationDiff): string {
  const lines: string[] = [];
  for (const f of d.added) lines.push(`+ NEW FAILURE   ${failureKey(f)} [${f.statements.join(' ')}]\n    ${f.evidence.split('\n').slice(0, 6).join('\n    ')}`);
  for (const f of d.removed) lines.push(`- NO LONGER FAILS ${failureKey(f)} [${f.statements.join(' ')}]`);
  lines.push(`${d.unchanged.length} expected failure(s) reproduced, ${d.added.length} new, ${d.removed.length} gone`);
  return lines.join('\n');
}

export function renderExpectations(file: ExpectationFile): string {
  return stringify(file, { lineWidth: 0 });
}
