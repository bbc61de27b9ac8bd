/**
 * What every checker answers, and the shared machinery to turn the violations a checker
 * finds into a result with a minimal witness.
 */
import type { SpecVersion, StatementRef } from '../spec/types.ts';
import type { History, Op } from './history.ts';
import { formatOp } from './history.ts';
import type { Model } from './model.ts';
import { buildModel } from './model.ts';

export type Validity = true | false | 'unknown';

export interface Violation {
  /** Stable identity, e.g. "lost:sensor-1#7->dash"; used to re-find it while shrinking. */
  key: string;
  message: string;
  /** Ops that together show the violation (before shrinking). */
  ops: Op[];
}

export interface CheckResult {
  valid: Validity;
  checker: string;
  statements: StatementRef[];
  summary: string;
  /** A minimal slice of history that still shows the first violation. */
  witness?: Op[];
  violations?: { key: string; message: string }[];
  /** How many items (messages, connections, subscriptions) were examined, and how many stayed undecided. */
  checked: number;
  unknown: number;
}

export interface CheckOptions {
  version?: SpecVersion;
  /** Time the run ended (defaults to the last op's time). */
  endTime?: number;
  /** Shrink the witness to a minimal one (default true). */
  shrink?: boolean;
  /** How many violations to list (default 20). */
  maxViolations?: number;
}

export interface Findings {
  violations: Violation[];
  checked: number;
  unknown: number;
  /** Notes for undecided items, first few only. */
  notes?: string[];
}

export interface CheckerSpec {
  name: string;
  statements: (version: SpecVersion) => StatementRef[];
  find: (m: Model, opts: CheckOptions) => Findings;
  /** What was checked, in words, for the summary. */
  noun: string;
}

/** Runs a checker spec over a history and builds its result. */
export function runChecker(spec: CheckerSpec, history: History, opts: CheckOptions = {}): CheckResult {
  const version = opts.version ?? '3.1.1';
  const found = spec.find(buildModel(history, { endTime: opts.endTime }), opts);
  const statements = spec.statements(version);
  const max = opts.maxViolations ?? 20;
  if (found.violations.length > 0) {
    const first = found.violations[0];
    const stillFails = (ops: Op[]): boolean =>
      spec.find(buildModel(ops, { endTime: opts.endTime }), opts).violations.some((v) => v.key === first.key);
    const witness = opts.shrink === false ? sortOps(first.ops) : shrinkWitness(sortOps(first.ops), stillFails);
    return {
      valid: false, checker: spec.name, statements, witness, checked: found.checked, unknown: found.unknown,
      violations: found.violations.slice(0, max).map((v) => ({ key: v.key, message: v.message })),
      summary: `${spec.name}: ${found.violations.length} violation(s) among ${found.checked} ${spec.noun}; first: ${first.message}`,
    };
  }
  if (found.unknown > 0 && found.unknown >= found.checked) {
    return {
      valid: 'unknown', checker: spec.name, statements, checked: found.checked, unknown: found.unknown,
      summary: `${spec.name}: nothing decidable among ${found.checked} ${spec.noun}${notes(found)}`,
    };
  }
  return {
    valid: true, checker: spec.name, statements, checked: found.checked, unknown: found.unknown,
    summary: `${spec.name}: ${found.checked - found.unknown} ${spec.noun} hold, ${found.unknown} undecided${notes(found)}`,
  };
}

const notes = (f: Findings): string => (f.notes && f.notes.length > 0 ? ` (${f.notes.slice(0, 3).join('; ')})` : '');

function sortOps(ops: Op[]): Op[] {
  const seen = new Set<number>();
  return ops.filter((o) => (seen.has(o.index) ? false : (seen.add(o.index), true))).sort((a, b) => a.index - b.index);
}

/**
 * Greedy 1-minimal shrinking: drop each op in turn and keep the drop when the violation
 * is still found. The result fails, and removing any single op from it makes it pass.
 */
export function shrinkWitness(ops: Op[], stillFails: (ops: Op[]) => boolean, maxRounds = 10): Op[] {
  let cur = ops;
  if (!stillFails(cur)) return cur;
  for (let round = 0; round < maxRounds; round++) {
    let changed = false;
    for (let i = cur.length - 1; i >= 0; i--) {
      const cand = cur.slice(0, i).concat(cur.slice(i + 1));
      if (stillFails(cand)) {
        cur = cand;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return cur;
}

/** Human-readable rendering of a result, witness included. */
export function formatResult(r: CheckResult): string {
  const head = `${r.valid === true ? 'VALID' : r.valid === false ? 'INVALID' : 'UNKNOWN'} ${r.summary}`;
  const refs = `  statements: ${r.statements.map((s) => s.id).join(', ')}`;
  const base = r.witness?.[0]?.time ?? 0;
  const w = r.witness ? [`  witness (times in ms after op #${r.witness[0]?.index}):`, ...r.witness.map((o) => `    ${formatOp(o, base)}`)] : [];
  const more = r.violations && r.violations.length > 1 ? [`  other violations: ${r.violations.slice(1, 6).map((v) => v.key).join(', ')}`] : [];
  return [head, refs, ...w, ...more].join('\n');
}
