/**
 * What every checker answers, and the shared machinery to turn the violations a checker
 * finds into a result with a minimal witness.
 *
 * The verdict is honest: `valid` only when every item the checker examined was decided and
 * held; any undecided item makes it `unknown` (with the count and the reasons); a checker
 * that found nothing to examine says `nothing-to-check`, never `valid`.
 */
import type { SpecVersion, StatementRef } from '../spec/types.ts';
import type { History, Op } from './history.ts';
import { formatOp } from './history.ts';
import type { Model } from './model.ts';
import { buildModel } from './model.ts';
import { cite, kindOfKey, type ViolationKind } from './citations.ts';

/** A checker's answer over one history. */
export type Verdict = 'valid' | 'invalid' | 'unknown' | 'nothing-to-check';
export const VERDICTS: readonly Verdict[] = ['valid', 'invalid', 'unknown', 'nothing-to-check'];

/** @deprecated Read `verdict`. Kept for callers of the old field: true = valid, false = invalid, else 'unknown'. */
export type Validity = true | false | 'unknown';

export interface Violation {
  /** Stable identity, e.g. "lost:sensor-1#7->dash"; used to re-find it while shrinking. */
  key: string;
  message: string;
  /** Ops that together show the violation (before shrinking). */
  ops: Op[];
  /** What it breaks, when more precise than its key's kind (see citations.ts). */
  kind?: ViolationKind;
}

/** One violation as reported: what happened and the statements it breaks. */
export interface ReportedViolation {
  key: string;
  message: string;
  statements: StatementRef[];
}

/** Why items stayed undecided: one line per reason, with how many items it covers. */
export interface UndecidedReason {
  reason: string;
  count: number;
  /** One item it applied to, e.g. "m7 -> dashboard". */
  example?: string;
}

export interface CheckResult {
  verdict: Verdict;
  /** @deprecated Derived from `verdict` (true only for `valid`, false only for `invalid`). */
  valid: Validity;
  checker: string;
  /** The statements the guarantee rests on, in the history's protocol version. */
  statements: StatementRef[];
  summary: string;
  /** A minimal slice of history that still shows the first violation. */
  witness?: Op[];
  violations?: ReportedViolation[];
  /** How many items (messages, connections, subscriptions) were examined, and how many stayed undecided. */
  checked: number;
  unknown: number;
  /** Why the undecided items are undecided (empty when none are). */
  undecided: UndecidedReason[];
  /** Items decided as holding because the specification allows either answer there, by reason (absent when none). */
  either?: UndecidedReason[];
}

export interface CheckOptions {
  version?: SpecVersion;
  /** Time the run ended (defaults to the last op's time). */
  endTime?: number;
  /** Shrink the witness to a minimal one (default true). */
  shrink?: boolean;
  /** How many violations to list (default 20). */
  maxViolations?: number;
  /**
   * Ops missing from the history (default: the gaps in its index sequence). A caller that
   * checks slices of a larger history (e.g. in chunks of devices) passes the whole history's
   * count (`countMissingOps(whole)`), so a slice is not taken for an incomplete record.
   */
  missingOps?: number;
}

export interface Findings {
  violations: Violation[];
  checked: number;
  unknown: number;
  /** Reasons for the undecided items, with counts. */
  undecided?: UndecidedReason[];
  /** Held items where either answer is legal, by reason, with counts. */
  either?: UndecidedReason[];
}

export interface CheckerSpec {
  name: string;
  statements: (version: SpecVersion) => StatementRef[];
  find: (m: Model, opts: CheckOptions) => Findings;
  /** What was checked, in words, for the summary. */
  noun: string;
}

/** The statements one violation breaks: its kind's, else the checker's whole list. */
function citesOf(v: Violation, version: SpecVersion, fallback: StatementRef[]): StatementRef[] {
  const kind = v.kind ?? kindOfKey(v.key);
  return kind !== undefined ? cite(kind, version) : fallback;
}

/**
 * The one verdict rule, for runChecker and for anyone combining partial results (e.g. a
 * history checked in chunks): any violation is invalid; nothing examined is nothing-to-check;
 * any undecided item is unknown; else valid.
 */
export function decideVerdict(c: { violations: number; checked: number; unknown: number }): Verdict {
  return c.violations > 0 ? 'invalid' : c.checked === 0 ? 'nothing-to-check' : c.unknown > 0 ? 'unknown' : 'valid';
}

/** Adds up undecided reasons from several partial results (same reason → counts summed). */
export function mergeUndecided(parts: readonly (readonly UndecidedReason[])[]): UndecidedReason[] {
  const by = new Map<string, UndecidedReason>();
  for (const list of parts) {
    for (const u of list) {
      const cur = by.get(u.reason);
      if (cur === undefined) by.set(u.reason, { ...u });
      else cur.count += u.count;
    }
  }
  return [...by.values()].sort((a, b) => b.count - a.count);
}

/** The deprecated boolean-ish field, derived from a verdict. */
export const legacyValidity = (v: Verdict): Validity => (v === 'valid' ? true : v === 'invalid' ? false : 'unknown');

const legacy = legacyValidity;

/** Runs a checker spec over a history and builds its result. */
export function runChecker(spec: CheckerSpec, history: History, opts: CheckOptions = {}): CheckResult {
  const version = opts.version ?? '3.1.1';
  const full = buildModel(history, { endTime: opts.endTime, missingOps: opts.missingOps });
  const found = spec.find(full, opts);
  const statements = spec.statements(version);
  const max = opts.maxViolations ?? 20;
  const undecided = found.undecided ?? (found.unknown > 0 ? [{ reason: 'undecided', count: found.unknown }] : []);
  const counts = { violations: found.violations.length, checked: found.checked, unknown: found.unknown };
  const verdict = decideVerdict(counts);
  const first = found.violations[0];
  const result: CheckResult = {
    verdict,
    valid: legacy(verdict),
    checker: spec.name,
    statements,
    checked: found.checked,
    unknown: found.unknown,
    undecided,
    summary: verdictSummary(spec, counts, undecided, first?.message, found.either),
    ...(found.either ? { either: found.either } : {}),
  };
  if (first === undefined) return result;
  // Shrinking looks at slices of the history; they keep the full history's completeness.
  const stillFails = (ops: Op[]): boolean =>
    spec
      .find(buildModel(ops, { endTime: opts.endTime, missingOps: full.missingOps }), opts)
      .violations.some((v) => v.key === first.key);
  result.witness = opts.shrink === false ? sortOps(first.ops) : shrinkWitness(sortOps(first.ops), stillFails);
  result.violations = found.violations
    .slice(0, max)
    .map((v) => ({ key: v.key, message: v.message, statements: citesOf(v, version, statements) }));
  return result;
}

/** The one-line summary for a verdict (also for results combined from parts). */
export function verdictSummary(
  spec: Pick<CheckerSpec, 'name' | 'noun'>,
  c: { violations: number; checked: number; unknown: number },
  undecided: readonly UndecidedReason[],
  firstViolation?: string,
  either: readonly UndecidedReason[] = [],
): string {
  const n = either.reduce((k, r) => k + r.count, 0);
  const legal = n > 0 ? `; ${n} of them decided as "either answer is legal"${reasons(either)}` : '';
  switch (decideVerdict(c)) {
    case 'invalid': {
      const also = c.unknown > 0 ? `; ${c.unknown} undecided${reasons(undecided)}` : '';
      return `${spec.name}: ${c.violations} violation(s) among ${c.checked} ${spec.noun}${also}; first: ${firstViolation ?? '?'}`;
    }
    case 'nothing-to-check':
      return `${spec.name}: no ${spec.noun} in this history`;
    case 'unknown':
      return `${spec.name}: ${c.unknown} of ${c.checked} ${spec.noun} undecided${reasons(undecided)}; ${c.checked - c.unknown} hold${legal}`;
    case 'valid':
      return `${spec.name}: all ${c.checked} ${spec.noun} hold${legal}`;
  }
}

const reasons = (u: readonly UndecidedReason[]): string =>
  u.length > 0
    ? ` (${u
        .slice(0, 4)
        .map((r) => `${r.count}× ${r.reason}${r.example ? `, e.g. ${r.example}` : ''}`)
        .join('; ')}${u.length > 4 ? `; ${u.length - 4} more reasons` : ''})`
    : '';

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

const VERDICT_WORDS: Record<Verdict, string> = {
  valid: 'VALID',
  invalid: 'INVALID',
  unknown: 'UNKNOWN',
  'nothing-to-check': 'NOTHING TO CHECK',
};

/** Human-readable rendering of a result, witness included. */
export function formatResult(r: CheckResult): string {
  const head = `${VERDICT_WORDS[r.verdict]} ${r.summary}`;
  const refs = `  statements: ${r.statements.map((s) => s.id).join(', ')}`;
  const first = r.violations?.[0];
  const broken = first
    ? [
        `  first violation breaks: ${first.statements.map((s) => s.id).join(', ')} (MQTT ${first.statements[0]?.version ?? ''})`,
      ]
    : [];
  const base = r.witness?.[0]?.time ?? 0;
  const w = r.witness
    ? [`  witness (times in ms after op #${r.witness[0]?.index}):`, ...r.witness.map((o) => `    ${formatOp(o, base)}`)]
    : [];
  const more =
    r.violations && r.violations.length > 1
      ? [
          `  other violations: ${r.violations
            .slice(1, 6)
            .map((v) => v.key)
            .join(', ')}`,
        ]
      : [];
  return [head, refs, ...broken, ...w, ...more].join('\n');
}
