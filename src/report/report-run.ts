import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { EXIT, type ExitCode } from '../common/exit-codes.ts';
import { formatRatchet, ratchet, renderJudgedJunit, type RatchetResult } from './baseline-ratchet.ts';
import { buildSite, loadRuns, type RunData, type SiteResult } from './site/index.ts';

/**
 * `mqtt-harness report` and `npm run conformance:mosquitto` both come here: read the runs
 * (secrets scrubbed), judge each run that has a baseline (the i-th --baseline goes with the i-th
 * run), write the JUnit of each comparison if asked, and build the site.
 */
export interface ReportOptions {
  runs: readonly string[];
  out: string;
  /** Column headings for runs whose report names no broker (the i-th label for the i-th run). */
  labels?: readonly string[];
  /** The i-th baseline judges the i-th run; an undefined entry leaves that run unjudged. */
  baselines?: ReadonlyArray<string | undefined>;
  update?: boolean;
  record?: boolean;
  /** JUnit XML of the comparison (with several baselines: one file each, "-r2" etc. before the extension). */
  junit?: string;
  specDir?: string;
  log?: (line: string) => void;
}

export interface ReportOutcome {
  exit: ExitCode;
  runs: RunData[];
  site: SiteResult;
  ratchets: RatchetResult[];
}

const junitPath = (base: string, i: number, n: number): string =>
  n < 2 ? base : base.replace(/(\.xml)?$/, `-r${i + 1}$1`);

export function generateReport(o: ReportOptions): ReportOutcome {
  const log = o.log ?? ((l: string) => console.log(l));
  const { runs } = loadRuns(o.runs);
  (o.labels ?? []).forEach((l, i) => {
    const r = runs[i];
    if (r && l) r.label = l;
  });
  const baselines = o.baselines ?? [];
  if (baselines.length > runs.length)
    throw new Error(
      `${baselines.length} baselines for ${runs.length} run(s): give one --baseline per run, in the same order`,
    );
  const judged = baselines.flatMap((b, i) =>
    b ? [{ i, r: ratchet(b, runs[i]!, { update: o.update, record: o.record, broker: runs[i]!.label }) }] : [],
  );
  const ratchets = judged.map((j) => j.r);
  judged.forEach(({ i, r }, n) => {
    log(formatRatchet(r));
    if (o.junit) {
      const p = junitPath(o.junit, n, ratchets.length);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, renderJudgedJunit(`${runs[i]!.label} against ${r.baseline}`, r.judged));
      log(`  ${p}: ${r.judged.length} scenarios judged, ${r.newFailures.length} new failure(s)`);
    }
  });
  const line = ratchets.length
    ? ratchets
        .map(
          (r) =>
            `ratchet ${r.baseline}: ${r.inconclusive ? 'inconclusive' : r.newFailures.length ? `BROKEN, ${r.newFailures.length} new failure(s)` : 'holds'}${r.fixed.length ? `, ${r.fixed.length} fixed` : ''}`,
        )
        .join('; ')
    : undefined;
  const site = buildSite(runs, {
    out: o.out,
    specDir: o.specDir,
    ratchet: line
      ? {
          line,
          results: ratchets.map((r) => ({
            baseline: r.baseline,
            run: r.run,
            broker: r.broker,
            inconclusive: r.inconclusive,
            newFailures: r.newFailures.map((j) => j.key),
            fixed: r.fixed.map((j) => j.key),
            reproduced: r.reproduced,
            undecided: r.undecided.map((j) => j.key),
          })),
        }
      : undefined,
  });
  if (site.spec.missing.length)
    log(
      `report: statement texts not found (${site.spec.missing.join(', ')}): pages show the registry summaries (set MQTT_SPEC_DIR)`,
    );
  log(
    `report: ${site.files} files in ${o.out} (index.html ${(site.indexBytes / 1024).toFixed(0)} KiB, ${runs.length} run(s), ${site.rows.length} statements, ${site.diffs.length} diff(s))`,
  );
  const exit = ratchets.some((r) => r.exit === EXIT.violations)
    ? EXIT.violations
    : ratchets.some((r) => r.exit === EXIT.inconclusive)
      ? EXIT.inconclusive
      : EXIT.ok;
  return { exit, runs, site, ratchets };
}
