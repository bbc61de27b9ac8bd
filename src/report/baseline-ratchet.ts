import { existsSync } from 'node:fs';
import { EXIT, type ExitCode } from '../common/exit-codes.ts';
import {
  entriesOf,
  entryKey,
  failuresOf,
  loadBaseline,
  recordBaseline,
  writeBaseline,
  type BaselineEntry,
  type BaselineFile,
  type JudgedOutcome,
} from './baseline.ts';

/**
 * The ratchet: one run judged against one baseline file.
 * - new failure: a scenario failed that the baseline does not list → the ratchet breaks (exit 1);
 * - fixed: a listed scenario passed or was not applicable, or no longer ran → reported; --update removes it;
 * - reproduced: a listed scenario failed again;
 * - undecided: a listed scenario was inconclusive or advisory: nothing is concluded, the entry stays;
 * - inconclusive: an unlisted scenario was inconclusive: reported (JUnit: skipped), never a failure.
 * A run that decided nothing (the target unreachable, TLS or credentials refused, or every
 * scenario inconclusive) cannot be judged (exit 3); a run where only some scenarios were
 * inconclusive is judged on the rest.
 */
export type Judgement = 'new-failure' | 'fixed' | 'reproduced' | 'undecided' | 'inconclusive' | 'ok';

export interface JudgedScenario {
  key: string;
  feature: string;
  scenario: string;
  version: string;
  judgement: Judgement;
  /** The ratchet holds for this scenario (everything but a new failure). */
  ok: boolean;
  message: string;
  durationMs?: number;
}

export function judgeRun(expected: readonly BaselineEntry[], outcomes: readonly JudgedOutcome[]): JudgedScenario[] {
  const exp = new Map(expected.map((f) => [entryKey(f), f]));
  const seen = new Set<string>();
  const judged = entriesOf(outcomes).map(({ outcome, entry }): JudgedScenario => {
    const key = entryKey(entry);
    seen.add(key);
    const want = exp.get(key);
    const base = {
      key,
      feature: entry.feature,
      scenario: entry.scenario,
      version: entry.version,
      durationMs: outcome.durationMs,
    };
    const k = outcome.kind;
    if (want) {
      if (k === 'failed')
        return {
          ...base,
          judgement: 'reproduced',
          ok: true,
          message: `expected failure reproduced${want.note ? `: ${want.note}` : ''}`,
        };
      if (want.flaky)
        return { ...base, judgement: 'undecided', ok: true, message: `marked flaky in the baseline; ${k} this time` };
      if (k === 'passed' || k === 'not-applicable') {
        return {
          ...base,
          judgement: 'fixed',
          ok: true,
          message: `FIXED: expected to fail (${want.statements.join(' ')}), but it ${k === 'passed' ? 'passed' : `was not applicable: ${outcome.detail ?? ''}`}; was: ${want.evidence.split('\n')[0]}`,
        };
      }
      return {
        ...base,
        judgement: 'undecided',
        ok: true,
        message: `expected to fail, but this run was ${k}${outcome.detail ? `: ${outcome.detail.split('\n')[0]}` : ''}; the entry stays`,
      };
    }
    if (k === 'failed')
      return {
        ...base,
        judgement: 'new-failure',
        ok: false,
        message: `NEW FAILURE [${entry.statements.join(' ')}]\n${entry.evidence}`,
      };
    if (k === 'inconclusive')
      return {
        ...base,
        judgement: 'inconclusive',
        ok: true,
        message: `inconclusive${outcome.cause ? ` (${outcome.cause})` : ''}: ${(outcome.detail ?? '').split('\n')[0]}`,
      };
    return { ...base, judgement: 'ok', ok: true, message: k };
  });
  for (const f of expected) {
    const key = entryKey(f);
    if (seen.has(key)) continue;
    judged.push({
      key,
      feature: f.feature,
      scenario: f.scenario,
      version: f.version,
      judgement: 'fixed',
      ok: true,
      message: `FIXED (did not run: renamed or removed?): was ${f.evidence.split('\n')[0]}`,
    });
  }
  return judged;
}

/** Characters XML 1.0 cannot carry (C0 controls other than tab, LF and CR), built without a control-character regex literal. */
const XML_INVALID = new RegExp(
  `[${String.fromCharCode(0)}-${String.fromCharCode(8)}${String.fromCharCode(11)}${String.fromCharCode(12)}${String.fromCharCode(14)}-${String.fromCharCode(31)}]`,
  'g',
);
const xml = (s: string): string =>
  s.replace(XML_INVALID, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JUnit XML of a judged run: one <testcase> per scenario, a <failure> for each new failure, the other judgements as output. */
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
    if (!j.ok)
      lines.push(
        `${head}>`,
        `      <failure message="${xml(j.message.split('\n')[0]!)}">${xml(j.message)}</failure>`,
        '    </testcase>',
      );
    else if (j.judgement === 'inconclusive')
      lines.push(`${head}>`, `      <skipped message="${xml(j.message.split('\n')[0]!)}"/>`, '    </testcase>');
    else if (j.judgement === 'fixed' || j.judgement === 'undecided')
      lines.push(`${head}>`, `      <system-out>${xml(j.message)}</system-out>`, '    </testcase>');
    else lines.push(`${head}/>`);
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

export interface RatchetResult {
  baseline: string;
  broker: string;
  run: string;
  judged: JudgedScenario[];
  newFailures: JudgedScenario[];
  fixed: JudgedScenario[];
  reproduced: number;
  undecided: JudgedScenario[];
  /** Unlisted scenarios that were inconclusive (harness or target trouble; never failures). */
  inconclusiveScenarios: JudgedScenario[];
  /** The run as a whole was inconclusive: nothing could be judged. */
  inconclusive?: string;
  /** What --update / --record wrote, if anything. */
  wrote?: string;
  exit: ExitCode;
}

export interface RatchetOptions {
  /** Remove fixed entries from the file (the ratchet only shrinks). */
  update?: boolean;
  /** Write this run's failures as the baseline (keeps the notes of entries still failing). */
  record?: boolean;
  /** Broker name for a new file. */
  broker?: string;
}

/** Judges one run's scenario results against a baseline file, optionally shrinking or recording it. */
export function ratchet(
  baselinePath: string,
  run: {
    source: string;
    label: string;
    outcome?: string;
    inconclusive?: { cause?: string; message?: string };
    scenarios: ReadonlyArray<JudgedOutcome & { cause?: string }>;
  },
  opts: RatchetOptions = {},
): RatchetResult {
  const file: BaselineFile =
    opts.record && !existsSync(baselinePath)
      ? { broker: opts.broker ?? run.label, failures: [] }
      : loadBaseline(baselinePath);
  const judged = judgeRun(file.failures, run.scenarios);
  const result: RatchetResult = {
    baseline: baselinePath,
    broker: file.broker,
    run: run.source,
    judged,
    newFailures: judged.filter((j) => j.judgement === 'new-failure'),
    fixed: judged.filter((j) => j.judgement === 'fixed'),
    reproduced: judged.filter((j) => j.judgement === 'reproduced').length,
    undecided: judged.filter((j) => j.judgement === 'undecided'),
    inconclusiveScenarios: judged.filter((j) => j.judgement === 'inconclusive'),
    exit: EXIT.ok,
  };
  const nothingDecided =
    run.scenarios.length === 0 ||
    run.scenarios.every((s) => s.kind === 'inconclusive') ||
    (run.outcome === 'inconclusive' && ['unreachable', 'tls', 'auth-refused'].includes(run.inconclusive?.cause ?? ''));
  if (nothingDecided) {
    result.inconclusive = `${run.inconclusive?.cause ?? 'inconclusive'}${run.inconclusive?.message ? `: ${run.inconclusive.message}` : ''}`;
    result.exit = EXIT.inconclusive;
    return result; // never rewrite a baseline from a run that decided nothing
  }
  if (opts.record) {
    const failures = recordBaseline(file.failures, failuresOf(run.scenarios));
    writeBaseline(baselinePath, { broker: file.broker, failures });
    result.wrote = `recorded ${failures.length} expected failure(s) in ${baselinePath}`;
    return result;
  }
  if (opts.update && result.fixed.length > 0) {
    const gone = new Set(result.fixed.map((j) => j.key));
    const failures = file.failures.filter((f) => !gone.has(entryKey(f)));
    writeBaseline(baselinePath, { broker: file.broker, failures });
    result.wrote = `removed ${gone.size} fixed entr${gone.size === 1 ? 'y' : 'ies'} from ${baselinePath} (${failures.length} left)`;
  }
  result.exit = result.newFailures.length > 0 ? EXIT.violations : EXIT.ok;
  return result;
}

export function formatRatchet(r: RatchetResult): string {
  const lines = [`ratchet: ${r.run} against ${r.baseline} (${r.broker})`];
  if (r.inconclusive) {
    lines.push(`  INCONCLUSIVE: the run decided nothing (${r.inconclusive}); the baseline is unchanged`);
    return lines.join('\n');
  }
  for (const j of r.newFailures)
    lines.push(`  + NEW FAILURE  ${j.key}\n      ${j.message.split('\n').slice(1, 7).join('\n      ')}`);
  for (const j of r.fixed)
    lines.push(`  - FIXED        ${j.key}${r.wrote ? '' : ' (run with --update to remove it from the baseline)'}`);
  for (const j of r.undecided) lines.push(`  ? UNDECIDED    ${j.key}: ${j.message.split('\n')[0]}`);
  for (const j of r.inconclusiveScenarios.slice(0, 10))
    lines.push(`  ? INCONCLUSIVE ${j.key}: ${j.message.split('\n')[0]}`);
  if (r.inconclusiveScenarios.length > 10)
    lines.push(`  ? … ${r.inconclusiveScenarios.length - 10} more inconclusive scenario(s) (see the site)`);
  lines.push(
    `  ${r.reproduced} expected failure(s) reproduced, ${r.newFailures.length} new, ${r.fixed.length} fixed, ${r.undecided.length} undecided, ${r.inconclusiveScenarios.length} inconclusive` +
      `${r.newFailures.length ? ' — the ratchet is BROKEN' : ' — the ratchet holds'}`,
  );
  if (r.wrote) lines.push(`  ${r.wrote}`);
  return lines.join('\n');
}
