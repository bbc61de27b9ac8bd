/**
 * The explorer: fast-check generates programs, each runs against the target and the spec model
 * judges its history; on a violation fast-check shrinks the program to a minimal one, which is
 * returned with the seed, its Gherkin, the statements and the packet trace (secrets scrubbed).
 */
import fc from 'fast-check';
import { scrubSecrets } from '../common/redact.ts';
import { checkHistory } from '../model/check.ts';
import type { ModelFinding } from '../model/types.ts';
import { toGherkin } from './gherkin.ts';
import { describeStep, programArb, type ExploreVersion, type Program } from './program.ts';
import { runProgram } from './runner.ts';
import type { RunResult, RunTarget } from './run-types.ts';

export interface ExploreOptions {
  target: RunTarget;
  version: ExploreVersion;
  seed: number;
  /** Stop after this many programs (default 100)... */
  runs?: number;
  /** ...or after this many ms, whichever comes first. */
  budgetMs?: number;
  maxClients?: number;
  /** Known capabilities of the target (see RunOptions.caps). */
  caps?: import('../model/types.ts').DeclaredCaps;
  /** fast-check replay path of a shrunk counterexample: runs just that program (with the same seed). */
  path?: string;
  /** Start of every topic / client id of this exploration (default derived from the seed). */
  prefix?: string;
  /** Known deviations: a finding whose statements are all listed here does not fail a program. */
  ignore?: string[];
  /** Largest burst of messages sent without waiting (1..300, default 300). */
  maxBurst?: number;
  stepTimeoutMs?: number;
  settleMs?: number;
  onProgram?: (stats: ExploreStats) => void;
}

export interface ExploreStats {
  programs: number;
  findings: number;
  elapsedMs: number;
}

export interface ExploreFinding {
  version: ExploreVersion;
  seed: number;
  /** fast-check's replay path of the shrunk counterexample. */
  path?: string;
  statements: string[];
  findings: Array<Pick<ModelFinding, 'family' | 'message'> & { statements: string[] }>;
  program: Program;
  steps: string[];
  gherkin: string;
  trace: string;
  notes: string[];
}

export interface ExploreResult {
  seed: number;
  version: ExploreVersion;
  programs: number;
  elapsedMs: number;
  findings: ExploreFinding[];
  /** Programs the harness could not run properly (no verdict on them). */
  harnessTrouble: string[];
  /** Programs whose only findings were ignored known deviations. */
  ignoredPrograms: number;
}

let runCounter = 0;

export async function explore(o: ExploreOptions): Promise<ExploreResult> {
  const t0 = performance.now();
  let programs = 0;
  const trouble: string[] = [];
  const ignore = new Set(o.ignore ?? []);
  let ignored = 0;
  // Only the latest failure is kept (shrinking's last failing run is its counterexample).
  let lastFailure: { key: string; r: RunResult; f: ModelFinding[] } | undefined;
  let failed = 0;
  const secrets = [o.target.password];
  // Unique across processes too: a broker keeps persistent sessions of earlier explorations.
  const tag =
    o.prefix ??
    `x${(Date.now() % 60_466_176).toString(36)}${(process.pid % 1296).toString(36)}${(++runCounter).toString(36)}`;
  const prop = fc.asyncProperty(programArb(o.version, o.maxClients ?? 3, o.maxBurst ?? 300), async (p) => {
    const prefix = `${tag}n${(programs++).toString(36)}`;
    if (process.env.MQTT_EXPLORE_DEBUG)
      process.stderr.write(`[explore] ${prefix}: ${p.steps.map(describeStep).join(' ; ')}\n`);
    const r = await runProgram(p, o.target, {
      prefix,
      stepTimeoutMs: o.stepTimeoutMs,
      settleMs: o.settleMs,
      caps: o.caps,
    });
    o.onProgram?.({ programs, findings: failed > 0 ? 1 : 0, elapsedMs: performance.now() - t0 });
    if (r.harnessTrouble) {
      if (trouble.length < 20) trouble.push(r.harnessTrouble);
      return true;
    }
    const all = checkHistory(r.history, { version: o.version });
    const f = all.filter((x) => !x.statements.every((s) => ignore.has(s.id)));
    if (all.length > f.length) ignored++;
    if (f.length === 0) return true;
    failed++;
    lastFailure = { key: JSON.stringify(p), r, f };
    return false;
  });
  const res = await fc.check(prop, {
    seed: o.seed,
    ...(o.path ? { path: o.path } : {}),
    numRuns: o.runs ?? 100,
    interruptAfterTimeLimit: o.budgetMs,
    markInterruptAsFailure: false,
    endOnFailure: false,
    verbose: 0,
  });
  const findings: ExploreFinding[] = [];
  if (res.failed && res.counterexample) {
    let p = res.counterexample[0];
    let hit = lastFailure?.key === JSON.stringify(p) ? lastFailure : undefined;
    if (!hit) {
      // Re-run the counterexample once to capture its history and trace.
      const r = await runProgram(p, o.target, {
        prefix: `${tag}r`,
        stepTimeoutMs: o.stepTimeoutMs,
        settleMs: o.settleMs,
        caps: o.caps,
      });
      const f = checkHistory(r.history, { version: o.version }).filter(
        (x) => !x.statements.every((s) => ignore.has(s.id)),
      );
      if (f.length > 0) hit = { key: '', r, f };
      else if (lastFailure) p = JSON.parse(lastFailure.key) as Program;
      if (!hit && lastFailure)
        hit = {
          ...lastFailure,
          f: lastFailure.f.map((x) => ({
            ...x,
            message: `${x.message} (the last failing program is shown: the shrunk one did not fail again on a re-run, so the finding depends on timing)`,
          })),
        };
    }
    if (hit) {
      const { r, f } = hit;
      const ids = [...new Set(f.flatMap((x) => x.statements.map((s) => s.id)))];
      findings.push({
        version: o.version,
        seed: o.seed,
        path: res.counterexamplePath ?? undefined,
        statements: ids,
        findings: f.map((x) => ({
          family: x.family,
          message: scrubSecrets(x.message, secrets),
          statements: x.statements.map((s) => s.id),
        })),
        program: p,
        steps: p.steps.map(describeStep),
        gherkin: toGherkin({ program: p, findings: f, msgStep: r.msgStep, prefix: r.prefix, seed: o.seed }),
        trace: scrubSecrets(r.trace.format(48), secrets),
        notes: r.notes,
      });
    }
  }
  return {
    seed: o.seed,
    version: o.version,
    programs,
    elapsedMs: performance.now() - t0,
    findings,
    harnessTrouble: trouble,
    ignoredPrograms: ignored,
  };
}

/** The report of one finding, for the console. */
export function formatFinding(f: ExploreFinding, maxTraceLines = 60): string {
  const trace = f.trace.split('\n');
  return [
    `FINDING (MQTT ${f.version}, seed ${f.seed}${f.path ? `, path ${f.path}` : ''}): ${f.statements.join(', ')}`,
    ...f.findings.slice(0, 5).map((x) => `  - [${x.statements.join(', ')}] ${x.message}`),
    '',
    'Shrunk program:',
    ...f.steps.map((s, i) => `  ${i}. ${s}`),
    '',
    'Gherkin (paste into a feature file):',
    f.gherkin,
    '',
    `Packet trace (${trace.length} lines${trace.length > maxTraceLines ? `, last ${maxTraceLines}` : ''}):`,
    ...trace.slice(-maxTraceLines),
    `Replay: npx mqtt-harness explore --broker URL --version ${f.version} --replay ${f.seed}${f.path ? ` --replay-path ${f.path}` : ''}`,
  ].join('\n');
}
