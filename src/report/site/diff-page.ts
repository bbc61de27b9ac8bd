import { sameBroker, type CellVerdict, type RunData, type ScenarioKind } from './model.ts';
import { badge, esc, page, statementHref } from './html.ts';
import type { Row } from './site-data.ts';

export interface Change<V> {
  key: string;
  label: string;
  href?: string;
  from: V | 'absent';
  to: V | 'absent';
}
export interface RunDiff {
  from: string;
  to: string;
  statements: {
    newlyFailing: Change<CellVerdict>[];
    newlyPassing: Change<CellVerdict>[];
    changed: Change<CellVerdict>[];
  };
  scenarios: {
    newlyFailing: Change<ScenarioKind>[];
    newlyPassing: Change<ScenarioKind>[];
    changed: Change<ScenarioKind>[];
  };
}

/** Consecutive runs (in date order) of the same broker: the pairs the diff page compares. */
export function diffPairs(runs: readonly RunData[]): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  const done = new Set<number>();
  for (let i = 0; i < runs.length; i++) {
    if (done.has(i)) continue;
    const group = runs.map((r, j) => j).filter((j) => sameBroker(runs[i]!, runs[j]!));
    group.forEach((j) => done.add(j));
    group.sort((a, b) => (runs[a]!.generatedAt ?? '').localeCompare(runs[b]!.generatedAt ?? '') || a - b);
    for (let k = 1; k < group.length; k++) pairs.push([group[k - 1]!, group[k]!]);
  }
  return pairs;
}

function split<V extends string>(
  changes: Change<V>[],
): { newlyFailing: Change<V>[]; newlyPassing: Change<V>[]; changed: Change<V>[] } {
  return {
    newlyFailing: changes.filter((c) => c.to === 'failed'),
    newlyPassing: changes.filter((c) => c.from === 'failed' && c.to === 'passed'),
    changed: changes.filter((c) => c.to !== 'failed' && !(c.from === 'failed' && c.to === 'passed')),
  };
}

export function diffRuns(runs: readonly RunData[], rows: readonly Row[], a: number, b: number): RunDiff {
  const st: Change<CellVerdict>[] = [];
  for (const r of rows) {
    if (r.cells[a] !== r.cells[b])
      st.push({
        key: `${r.version}|${r.id}`,
        label: `${r.id} (MQTT ${r.version}, ${r.level})`,
        href: statementHref(r.version, r.id),
        from: r.cells[a]!,
        to: r.cells[b]!,
      });
  }
  const key = (s: { where: string; name: string; version?: string }): string =>
    `${s.where.replace(/:\d+$/, '')}|${s.name}|${s.version ?? ''}`;
  const before = new Map(runs[a]!.scenarios.map((s) => [key(s), s]));
  const after = new Map(runs[b]!.scenarios.map((s) => [key(s), s]));
  const sc: Change<ScenarioKind>[] = [];
  for (const k of new Set([...before.keys(), ...after.keys()])) {
    const x = before.get(k),
      y = after.get(k);
    if (x?.kind === y?.kind) continue;
    const s = (y ?? x)!;
    const first = s.checks.find((c) => c.outcome === y?.kind)?.id ?? s.statementIds[0];
    sc.push({
      key: k,
      label: `${s.name} — ${s.where} (MQTT ${s.version ?? '?'})`,
      href: first && s.version ? `${statementHref(s.version, first)}#${runs[b]!.id}` : undefined,
      from: x?.kind ?? 'absent',
      to: y?.kind ?? 'absent',
    });
  }
  return { from: runs[a]!.id, to: runs[b]!.id, statements: split(st), scenarios: split(sc) };
}

const v = (x: string): string => (x === 'absent' ? '<span class="muted">absent</span>' : badge(x as CellVerdict));

function list<V extends string>(title: string, cs: Change<V>[]): string {
  if (cs.length === 0) return `<h4>${esc(title)}: none</h4>`;
  return `<h4>${esc(title)} (${cs.length})</h4><ul>${cs.map((c) => `<li>${c.href ? `<a href="${c.href}">${esc(c.label)}</a>` : esc(c.label)}: ${v(c.from)} → ${v(c.to)}</li>`).join('')}</ul>`;
}

export function renderDiffs(runs: readonly RunData[], diffs: readonly RunDiff[]): string {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const sections = diffs.map((d) => {
    const a = byId.get(d.from)!,
      b = byId.get(d.to)!;
    return `<section class="run" id="${d.from}-${d.to}"><h2>${esc(a.label)}: ${esc(a.generatedAt ?? a.id)} → ${esc(b.generatedAt ?? b.id)}</h2>
<p class="muted">${esc(a.source)} → ${esc(b.source)}</p>
<h3>Statements</h3>${list('Newly failing', d.statements.newlyFailing)}${list('Newly passing', d.statements.newlyPassing)}${list('Changed', d.statements.changed)}
<h3>Scenarios</h3>${list('Newly failing', d.scenarios.newlyFailing)}${list('Newly passing', d.scenarios.newlyPassing)}${list('Changed', d.scenarios.changed)}</section>`;
  });
  const body = `<h1>Diffs between runs of the same broker</h1>
${sections.length ? sections.join('\n') : '<p>No two runs of the same broker (same name and version) were given, so there is nothing to compare.</p>'}`;
  return page({ title: 'MQTT conformance diffs', root: '', body });
}
