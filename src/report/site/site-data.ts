import { REGISTRY } from '../../spec/index.ts';
import { statementKey, type CellVerdict, type RunData, type RunStatement } from './model.ts';
import type { SpecTexts } from './spec-text.ts';

/** One matrix row: a statement, with its verdict in every run. */
export interface Row {
  version: string;
  id: string;
  level: string;
  section: string;
  summary: string;
  /** Full text from the standard, when found. */
  text?: string;
  /** The body paragraph of the standard that cites it, when found. */
  context?: string;
  cells: CellVerdict[];
  /** The run's statement entry, per run (undefined where the run does not list it). */
  entries: Array<RunStatement | undefined>;
}

const sectionOrder = (s: string): number[] => s.split('.').map((x) => Number(x) || 0);
export function compareSections(a: string, b: string): number {
  const x = sectionOrder(a),
    y = sectionOrder(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++)
    if ((x[i] ?? -1) !== (y[i] ?? -1)) return (x[i] ?? -1) - (y[i] ?? -1);
  return 0;
}
const idOrder = (id: string): number[] =>
  id
    .replace(/^MQTT-/, '')
    .split(/[.-]/)
    .map((x) => Number(x) || 0);

/** Rows for every registry statement (plus any a run lists that the registry lacks), by version, section, ID. */
export function buildRows(runs: readonly RunData[], spec: SpecTexts): Row[] {
  const maps = runs.map((r) => new Map(r.statements.map((s) => [statementKey(s.version, s.id), s])));
  const base = new Map<string, { version: string; id: string; level: string; section: string; summary: string }>();
  for (const s of REGISTRY) base.set(statementKey(s.version, s.id), s);
  for (const r of runs)
    for (const s of r.statements)
      if (!base.has(statementKey(s.version, s.id))) base.set(statementKey(s.version, s.id), s);
  const rows = [...base.entries()].map(([key, s]): Row => {
    const entries = maps.map((m) => m.get(key));
    return {
      version: s.version,
      id: s.id,
      level: s.level,
      section: s.section,
      summary: s.summary,
      text: spec.texts.get(key),
      context: spec.context.get(key),
      entries,
      cells: entries.map((e) => e?.verdict ?? 'untested'),
    };
  });
  return rows.sort(
    (a, b) =>
      a.version.localeCompare(b.version) ||
      compareSections(a.section, b.section) ||
      compareSections(idOrder(a.id).join('.'), idOrder(b.id).join('.')),
  );
}

export const differs = (r: Row): boolean => r.cells.some((c) => c !== r.cells[0]);
