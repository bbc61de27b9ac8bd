import { CELL_VERDICTS, type CellVerdict, type RunData } from './model.ts';
import {
  CHAPTERS,
  VERDICT_CLASS,
  VERDICT_SHORT,
  VERDICT_WORD,
  badge,
  chapterOf,
  esc,
  page,
  statementHref,
} from './html.ts';
import { differs, type Row } from './site-data.ts';

/**
 * index.html: one row per statement grouped by version, chapter and section, one column per
 * run, each cell coloured by verdict and linked to the statement page. Filters run in a few
 * lines of plain script over data attributes; nothing is fetched. The filters live in the URL
 * hash (index.html#o=failed&d=on), so a filtered view can be linked.
 */
const FILTER_SCRIPT = `
const f=document.getElementById('f'),body=document.getElementById('rows'),all=[...body.rows];
function apply(){const v=f.v.value,l=f.l.value,o=f.o.value,d=f.d.checked,q=f.q.value.trim().toLowerCase();let n=0;
for(const r of all){if(!r.classList.contains('st'))continue;const s=(!v||r.dataset.v===v)&&(!l||r.dataset.l===l)&&(!o||r.dataset.o.split(' ').includes(o))&&(!d||r.dataset.d==='1')&&(!q||r.textContent.toLowerCase().includes(q));r.hidden=!s;if(s)n++}
let sec=false,ch=false;for(let i=all.length-1;i>=0;i--){const r=all[i];if(r.classList.contains('st')){if(!r.hidden)sec=ch=true}else if(r.classList.contains('sec')){r.hidden=!sec;sec=false}else{r.hidden=!ch;ch=false;sec=false}}
document.getElementById('n').textContent=n}
for(const [k,v] of new URLSearchParams(location.hash.slice(1)))if(f[k])f[k].type==='checkbox'?f[k].checked=v==='on':f[k].value=v;
f.addEventListener('input',apply);f.addEventListener('change',apply);apply();
f.addEventListener('change',()=>history.replaceState(null,'','#'+new URLSearchParams([...new FormData(f)].filter(([,v])=>v))));`;

function counts(rows: readonly Row[], col: number): Map<CellVerdict, number> {
  const m = new Map<CellVerdict, number>();
  for (const r of rows) m.set(r.cells[col]!, (m.get(r.cells[col]!) ?? 0) + 1);
  return m;
}

const countBadges = (m: Map<CellVerdict, number>): string =>
  CELL_VERDICTS.filter((v) => m.get(v))
    .map(
      (v) =>
        `<span class="b ${VERDICT_CLASS[v]}" title="${VERDICT_WORD[v]}" data-n="${v}">${m.get(v)} ${VERDICT_SHORT[v]}</span>`,
    )
    .join('');

function runHeading(r: RunData, rows: readonly Row[], col: number): string {
  const total = counts(rows, col);
  const outcome = r.outcome
    ? `<br><span class="muted">run: ${esc(r.outcome)}${r.inconclusive?.cause ? ` (${esc(r.inconclusive.cause)})` : ''}</span>`
    : '';
  return (
    `<th class="run" data-run="${r.id}" title="${esc(r.source)}">${esc(r.label)}<br><span class="muted">${esc(r.target)}</span>` +
    `<br><span class="muted">${esc(r.capabilities.join('; '))}</span><br><span class="muted">${esc(r.generatedAt?.replace('T', ' ').slice(0, 16) ?? '')}</span>${outcome}` +
    `<div class="totals">${countBadges(total)}</div></th>`
  );
}

function statementRow(r: Row, runs: readonly RunData[]): string {
  const href = statementHref(r.version, r.id);
  const cells = r.cells
    .map(
      (c, i) =>
        `<td class="c ${VERDICT_CLASS[c]}" data-run="${runs[i]!.id}" data-verdict="${c}"><a href="${href}#${runs[i]!.id}" title="${esc(runs[i]!.label)}: ${VERDICT_WORD[c]}">${VERDICT_SHORT[c]}</a></td>`,
    )
    .join('');
  const outcomes = [...new Set(r.cells)].join(' ');
  return (
    `<tr class="st" data-v="${r.version}" data-l="${esc(r.level)}" data-o="${outcomes}" data-d="${differs(r) ? 1 : 0}">` +
    `<td><a href="${href}">${esc(r.id)}</a></td><td>${esc(r.level)}</td><td class="t" title="${esc(r.text ?? r.summary)}">${esc(r.summary)}</td>${cells}</tr>`
  );
}

export function renderMatrix(
  runs: readonly RunData[],
  rows: readonly Row[],
  opts: { generatedAt: string; diffs: number; ratchet?: string; sections?: ReadonlyMap<string, string> },
): string {
  const out: string[] = [];
  let chKey = '',
    secKey = '';
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const ch = `${r.version}|${chapterOf(r.section)}`;
    if (ch !== chKey) {
      chKey = ch;
      out.push(
        `<tr class="ch"><th colspan="${3 + runs.length}">MQTT ${esc(r.version)} — ${esc(chapterOf(r.section))} ${esc(CHAPTERS[chapterOf(r.section)] ?? '')}</th></tr>`,
      );
    }
    const sec = `${r.version}|${r.section}`;
    if (sec !== secKey) {
      secKey = sec;
      const inSec = rows.filter((x) => x.version === r.version && x.section === r.section);
      out.push(
        `<tr class="sec"><th colspan="3">${esc(r.section)} ${esc(opts.sections?.get(sec) ?? opts.sections?.get(sec.replace(/(\.0)+$/, '')) ?? '')} <span class="muted">(${inSec.length})</span></th>${runs.map((_, c) => `<td>${countBadges(counts(inSec, c))}</td>`).join('')}</tr>`,
      );
    }
    out.push(statementRow(r, runs));
  }
  const versions = [...new Set(rows.map((r) => r.version))];
  const levels = [...new Set(rows.map((r) => r.level))];
  const sel = (
    name: string,
    label: string,
    values: readonly string[],
    words: (v: string) => string = (v) => v,
  ): string =>
    `<label>${label} <select name="${name}"><option value="">all</option>${values.map((v) => `<option value="${esc(v)}">${esc(words(v))}</option>`).join('')}</select></label>`;
  const body = `<h1>MQTT conformance matrix</h1>
<p class="muted">${runs.length} run${runs.length === 1 ? '' : 's'}, ${rows.length} normative statements. Generated ${esc(opts.generatedAt)} by mqtt-harness.
Each cell links to the statement page, with the scenarios that check it, the failing step, the evidence and the packet trace.
${CELL_VERDICTS.map((v) => badge(v)).join(' ')}${opts.diffs ? ` · <a href="diff.html">${opts.diffs} diff${opts.diffs === 1 ? '' : 's'}</a>` : ''}${opts.ratchet ? ` · ${opts.ratchet}` : ''}</p>
<form class="filters" id="f" onsubmit="return false">${sel('v', 'Version', versions)}${sel('l', 'Level', levels)}${sel('o', 'Outcome', [...CELL_VERDICTS], (v) => VERDICT_WORD[v as CellVerdict])}
<label><input type="checkbox" name="d"> only where the columns differ</label><label>Text <input type="search" name="q" placeholder="ID or words"></label>
<span class="muted"><span id="n">${rows.length}</span> shown</span></form>
<table id="matrix"><thead><tr><th>Statement</th><th>Level</th><th>Summary</th>${runs.map((r, i) => runHeading(r, rows, i)).join('')}</tr></thead>
<tbody id="rows">
${out.join('\n')}
</tbody></table>`;
  return page({ title: 'MQTT conformance matrix', root: '', body, script: FILTER_SCRIPT });
}
