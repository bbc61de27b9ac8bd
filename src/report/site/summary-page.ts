import { CELL_VERDICTS, type CellVerdict, type RunData } from './model.ts';
import { CHAPTERS, VERDICT_CLASS, VERDICT_WORD, chapterOf, esc, page } from './html.ts';
import type { Row } from './site-data.ts';
import { stackedBars } from './svg-chart.ts';

const LEVELS = ['MUST', 'MUST NOT', 'SHOULD', 'SHOULD NOT', 'MAY'];

function tally(rows: readonly Row[], col: number): Map<CellVerdict, number> {
  const m = new Map<CellVerdict, number>();
  for (const r of rows) m.set(r.cells[col]!, (m.get(r.cells[col]!) ?? 0) + 1);
  return m;
}

function runTable(run: RunData, col: number, rows: readonly Row[]): string {
  const versions = [...new Set(rows.map((r) => r.version))];
  const head = `<tr><th>MQTT</th><th>Level</th>${CELL_VERDICTS.map((v) => `<th class="${VERDICT_CLASS[v]}">${VERDICT_WORD[v]}</th>`).join('')}<th>total</th></tr>`;
  const lines: string[] = [];
  for (const version of versions) {
    for (const level of [...LEVELS, 'all']) {
      const rs = rows.filter((r) => r.version === version && (level === 'all' || r.level === level));
      if (rs.length === 0) continue;
      const t = tally(rs, col);
      lines.push(
        `<tr${level === 'all' ? ' style="font-weight:600"' : ''} data-version="${version}" data-level="${level}"><td>${version}</td><td>${level}</td>${CELL_VERDICTS.map((v) => `<td data-verdict="${v}">${t.get(v) ?? 0}</td>`).join('')}<td>${rs.length}</td></tr>`,
      );
    }
  }
  const findings = run.findings.length
    ? `<h4>Findings</h4><ul>${run.findings.map((f) => `<li>${f.origin ? `<span class="muted">[${esc(f.origin)}]</span> ` : ''}${esc(f.message)}${f.statementIds?.length ? ` <span class="muted">${esc(f.statementIds.join(', '))}</span>` : ''}</li>`).join('')}</ul>`
    : '';
  const outcome = run.outcome
    ? `<p>Run outcome: <b>${esc(run.outcome)}</b>${run.exitCode !== undefined ? ` (exit ${run.exitCode})` : ''}${run.inconclusive ? ` — ${esc(run.inconclusive.cause ?? '')}: ${esc(run.inconclusive.message ?? '')}` : ''}</p>`
    : '';
  return `<section class="run" id="${run.id}"><h2>${esc(run.label)}</h2><p class="muted">${esc(run.target)} · ${esc(run.generatedAt ?? '')} · ${esc(run.source)}</p>
<p class="muted">${esc(run.capabilities.join(' · '))}</p>${outcome}<table>${head}${lines.join('')}</table>${findings}</section>`;
}

/** summary.html: per run, counts by outcome and level; per version and chapter, a chart with a bar per run. */
export function renderSummary(runs: readonly RunData[], rows: readonly Row[]): string {
  const charts: string[] = [];
  const chapters = [...new Set(rows.map((r) => `${r.version}|${chapterOf(r.section)}`))];
  for (const key of chapters) {
    const [version, ch] = key.split('|') as [string, string];
    const rs = rows.filter((r) => r.version === version && chapterOf(r.section) === ch);
    charts.push(
      stackedBars(
        `MQTT ${version} — chapter ${ch} ${CHAPTERS[ch] ?? ''} (${rs.length} statements)`,
        runs.map((run, i) => ({ label: run.label, counts: tally(rs, i) })),
      ),
    );
  }
  const body = `<h1>Summary</h1>
${runs.map((r, i) => runTable(r, i, rows)).join('\n')}
<h2>By chapter</h2>
<div class="charts">${charts.map((c) => `<div>${c}</div>`).join('\n')}</div>`;
  return page({ title: 'MQTT conformance summary', root: '', body });
}
