import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { statementKey, type RunData } from './model.ts';
import { statementHref } from './html.ts';
import { renderMatrix } from './matrix-page.ts';
import { renderSummary } from './summary-page.ts';
import { renderStatement } from './statement-page.ts';
import { diffPairs, diffRuns, renderDiffs, type RunDiff } from './diff-page.ts';
import { buildRows, type Row } from './site-data.ts';
import { loadSpecTexts, type SpecTexts } from './spec-text.ts';

export interface SiteOptions {
  out: string;
  specDir?: string;
  now?: Date;
  /** One line about the ratchet for the matrix header, and its results for index.json. */
  ratchet?: { line: string; results: unknown };
}

export interface SiteResult {
  out: string;
  files: number;
  indexBytes: number;
  rows: Row[];
  diffs: RunDiff[];
  spec: SpecTexts;
}

/** Writes the static site: index.html, summary.html, diff.html, statements/<version>/<id>.html and index.json. */
export function buildSite(runs: readonly RunData[], opts: SiteOptions): SiteResult {
  const spec = loadSpecTexts(opts.specDir);
  const rows = buildRows(runs, spec);
  const diffs = diffPairs(runs).map(([a, b]) => diffRuns(runs, rows, a, b));
  const generatedAt = (opts.now ?? new Date()).toISOString();
  rmSync(join(opts.out, 'statements'), { recursive: true, force: true });
  mkdirSync(opts.out, { recursive: true });
  let files = 0;
  const write = (rel: string, text: string): number => {
    const p = join(opts.out, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    files++;
    return Buffer.byteLength(text);
  };
  const indexBytes = write(
    'index.html',
    renderMatrix(runs, rows, {
      generatedAt,
      diffs: diffs.length,
      ratchet: opts.ratchet?.line,
      sections: spec.sections,
    }),
  );
  write('summary.html', renderSummary(runs, rows));
  write('diff.html', renderDiffs(runs, diffs));
  for (const r of rows) write(statementHref(r.version, r.id), renderStatement(r, runs, spec.dir));
  write(
    'index.json',
    `${JSON.stringify(
      {
        tool: 'mqtt-harness',
        site: 1,
        generatedAt,
        specDir: spec.dir,
        runs: runs.map((r) => ({
          id: r.id,
          source: r.source,
          label: r.label,
          broker: r.broker,
          target: r.target,
          generatedAt: r.generatedAt,
          outcome: r.outcome,
          exitCode: r.exitCode,
          inconclusive: r.inconclusive,
          capabilities: r.capabilities,
          findings: r.findings,
        })),
        statements: rows.map((r) => ({
          version: r.version,
          id: r.id,
          level: r.level,
          section: r.section,
          summary: r.summary,
          textFound: r.text !== undefined,
          page: statementHref(r.version, r.id),
          verdicts: Object.fromEntries(runs.map((run, i) => [run.id, r.cells[i]])),
          deciding: Object.fromEntries(runs.map((run, i) => [run.id, r.entries[i]?.deciding]).filter(([, d]) => d)),
        })),
        scenarios: Object.fromEntries(
          runs.map((run) => [
            run.id,
            run.scenarios.map((s) => ({
              name: s.name,
              where: s.where,
              version: s.version,
              statementIds: s.statementIds,
              kind: s.kind,
              cause: s.cause,
              step: s.step?.text,
            })),
          ]),
        ),
        diffs,
        ratchet: opts.ratchet?.results,
      },
      null,
      1,
    )}\n`,
  );
  return { out: opts.out, files, indexBytes, rows, diffs, spec };
}

export { statementKey };
