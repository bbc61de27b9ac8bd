import type { RunData, RunScenario } from './model.ts';
import { badge, esc, page, VERDICT_WORD } from './html.ts';
import type { Row } from './site-data.ts';

/**
 * One page per statement: its full text from the standard (or the registry summary, saying the
 * text was not found), the scenarios that check it, and per run the verdict, the deciding step,
 * and for each scenario its outcome, failing step, evidence (expected versus observed) and
 * packet trace with hex dumps.
 */
function splitDetail(s: RunScenario): { evidence?: string; trace?: string } {
  if (s.trace) return { evidence: s.detail, trace: s.trace };
  const d = s.detail ?? '';
  const at = d.indexOf('Packet trace');
  return at >= 0 ? { evidence: d.slice(0, at).trim() || undefined, trace: d.slice(at) } : { evidence: d || undefined };
}

const cites = (s: RunScenario, row: Row): boolean =>
  s.version === row.version &&
  (s.statementIds.includes(row.id) ||
    (s.step?.statements ?? []).includes(row.id) ||
    s.checks.some((c) => c.id === row.id));

/** What the scenario concluded about this statement (schema 2 checks), if it says. */
const checkOf = (s: RunScenario, row: Row): RunScenario['checks'][number] | undefined =>
  s.checks.find((c) => c.id === row.id && (c.version === undefined || c.version === row.version));

function scenarioBlock(s: RunScenario, row: Row): string {
  const { evidence, trace } = splitDetail(s);
  const decides = s.step?.statements?.includes(row.id);
  const check = checkOf(s, row);
  const forThis =
    check && check.outcome !== s.kind
      ? ` <span class="muted">(scenario ${esc(s.kind)}; for ${esc(row.id)}: ${esc(check.outcome)}${check.step ? `, decided by <code>${esc(check.step)}</code>` : ''})</span>`
      : '';
  const parts = [
    `<h4>${badge(check?.outcome ?? s.kind)} ${esc(s.name)} <span class="muted">${esc(s.where)}${s.durationMs !== undefined ? `, ${Math.round(s.durationMs)} ms` : ''}</span>${forThis}</h4>`,
  ];
  if (s.cause) parts.push(`<p>Cause: <b>${esc(s.cause)}</b></p>`);
  if (s.step)
    parts.push(
      `<p>${s.kind === 'failed' ? 'Failing step' : 'Step'}: <code>${esc(s.step.text)}</code>${s.step.line ? ` <span class="muted">line ${s.step.line}</span>` : ''}` +
        `${s.step.statements?.length ? ` <span class="muted">checks ${esc(s.step.statements.join(', '))}${decides === false ? ' (not this statement)' : ''}</span>` : ''}</p>`,
    );
  if (evidence && s.kind !== 'passed')
    parts.push(
      `<p>${s.kind === 'not-applicable' ? 'Reason' : 'Expected versus observed'}:</p><pre class="ev">${esc(evidence)}</pre>`,
    );
  if (trace)
    parts.push(
      `<details${s.kind === 'failed' ? ' open' : ''}><summary>Packet trace</summary><pre>${esc(trace)}</pre></details>`,
    );
  return parts.join('\n');
}

function runBlock(run: RunData, col: number, row: Row): string {
  const v = row.cells[col]!;
  const e = row.entries[col];
  const scenarios = run.scenarios.filter((s) => cites(s, row));
  const order = { failed: 0, inconclusive: 1, advisory: 2, 'not-applicable': 3, passed: 4 } as const;
  scenarios.sort((a, b) => order[a.kind] - order[b.kind]);
  const parts = [
    `<section class="run" id="${run.id}"><h3>${esc(run.label)}: ${badge(v)}</h3><p class="muted">${esc(run.target)} · ${esc(run.generatedAt ?? '')}</p>`,
  ];
  if (e?.deciding) {
    const d = e.deciding;
    parts.push(
      `<p>Deciding: ${esc(d.scenario ?? '')} <span class="muted">${esc(d.where ?? '')}</span>${d.step ? `, step <code>${esc(d.step)}</code>` : ''}</p>${d.evidence ? `<pre>${esc(d.evidence)}</pre>` : ''}`,
    );
  }
  if (scenarios.length === 0) {
    parts.push(`<p class="muted">No scenario of this run checks it${e?.details.length ? '' : '.'}</p>`);
    for (const d of e?.details ?? []) parts.push(`<pre>${esc(d)}</pre>`);
  }
  for (const s of scenarios) parts.push(scenarioBlock(s, row));
  parts.push('</section>');
  return parts.join('\n');
}

export function renderStatement(row: Row, runs: readonly RunData[], specDir: string): string {
  const names = new Map<string, string>();
  for (const r of runs)
    for (const s of r.scenarios) if (cites(s, row)) names.set(`${s.where}|${s.name}`, `${s.name} — ${s.where}`);
  for (const e of row.entries)
    for (const s of e?.scenarios ?? []) names.set(`${s.where}|${s.name}`, `${s.name} — ${s.where}`);
  const text = row.text
    ? `<blockquote>${esc(row.text)}</blockquote><p class="muted">Text of the OASIS MQTT ${esc(row.version)} standard (${esc(specDir)}). Our summary: ${esc(row.summary)}</p>`
    : `<blockquote>${esc(row.summary)}</blockquote><p class="muted">The statement's text was not found in ${esc(specDir)}; this is the registry's summary in our own words.</p>`;
  const body = `<h1>${esc(row.id)} <span class="muted">MQTT ${esc(row.version)} · section ${esc(row.section)} · ${esc(row.level)}</span></h1>
${text}
${row.context && row.context.length > (row.text?.length ?? 0) + 20 ? `<details><summary>In context: the paragraph of section ${esc(row.section)} that cites it</summary><p>${esc(row.context)}</p><p class="muted">From the standard's text converted from the PDF, line numbers removed.</p></details>` : ''}
<p>${runs.map((r, i) => `<a href="#${r.id}">${esc(r.label)}</a>: ${badge(row.cells[i]!)}`).join(' · ')}</p>
<h2>Scenarios that check it (${names.size})</h2>
${
  names.size
    ? `<ul>${[...names.values()]
        .sort()
        .map((n) => `<li>${esc(n)}</li>`)
        .join('')}</ul>`
    : '<p class="muted">None: the statement is untested.</p>'
}
<h2>Per run</h2>
${runs.map((r, i) => runBlock(r, i, row)).join('\n')}`;
  return page({
    title: `${row.id} (MQTT ${row.version}): ${runs.map((r, i) => `${r.label} ${VERDICT_WORD[row.cells[i]!]}`).join(', ')}`,
    root: '../../',
    body,
  });
}
