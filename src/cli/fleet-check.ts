/**
 * `mqtt-harness fleet check <history.jsonl>`: re-checks a saved history. The MQTT version comes
 * from the history's CONNECT ops (so the statements cited match it); each checker's verdict
 * is printed as it is, then one summary line. Exit: 0 every guarantee checked holds, 1 a
 * guarantee is violated, 3 something undecided or nothing decided, 2 a bad file or usage.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { EXIT, type ExitCode } from '../common/exit-codes.ts';
import {
  CHECKERS,
  checkAll,
  formatResult,
  fromJsonLines,
  historyVersion,
  summarizeVerdicts,
  verdictOutcome,
  type CheckResult,
  type CheckerName,
  type Op,
} from '../checker/index.ts';
import type { SpecVersion } from '../spec/types.ts';
import { didYouMean } from '../common/close-match.ts';

class UsageError extends Error {}

function checkersArg(v: string): CheckerName[] {
  const names = v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const bad = names.filter((n) => !(n in CHECKERS));
  if (bad.length > 0) {
    throw new InvalidArgumentError(
      bad.map((n) => `unknown checker "${n}"${didYouMean(n, Object.keys(CHECKERS))}`).join('; ') +
        `; known: ${Object.keys(CHECKERS).join(', ')}`,
    );
  }
  return names as CheckerName[];
}

function versionArg(v: string): SpecVersion {
  if (v !== '3.1.1' && v !== '5.0') throw new InvalidArgumentError(`expected 3.1.1 or 5.0, got "${v}"`);
  return v;
}

/** The version to cite: the history's own; --version only fills in for a history that names none. */
export function chooseVersion(ops: readonly Op[], given: SpecVersion | undefined): SpecVersion {
  const hv = historyVersion(ops);
  if (hv.kind === 'one') {
    if (given !== undefined && given !== hv.version)
      throw new UsageError(`the history was recorded with MQTT ${hv.version}, but --version says ${given}`);
    return hv.version;
  }
  if (given !== undefined) return given;
  if (hv.kind === 'mixed')
    throw new UsageError(
      `the history mixes MQTT ${hv.versions.join(' and ')} connections; pass --version to choose which statements to cite`,
    );
  throw new UsageError(
    'the history records no protocol version (no CONNECT with protocolLevel); pass --version 3.1.1 or 5.0',
  );
}

export function exitCodeFor(results: readonly CheckResult[]): ExitCode {
  const v = summarizeVerdicts(results).verdict;
  return v === 'invalid' ? EXIT.violations : v === 'unknown' ? EXIT.inconclusive : EXIT.ok;
}

export interface FleetCheckOutput {
  lines: string[];
  exitCode: ExitCode;
  /** The same, as data (for --json): absent when the file could not be judged. */
  json?: {
    file: string;
    ops: number;
    version: SpecVersion;
    results: (CheckResult & ReturnType<typeof verdictOutcome>)[];
    summary: ReturnType<typeof summarizeVerdicts>;
  };
}

/** The whole command without process I/O besides reading the file (tests call it directly). */
export function fleetCheck(
  file: string,
  o: { checkers?: CheckerName[]; version?: SpecVersion; settleMs?: number },
): FleetCheckOutput {
  let ops: Op[];
  try {
    ops = fromJsonLines(readFileSync(file, 'utf8'));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message;
    return { lines: [`mqtt-harness fleet check: ${file}: ${why}`], exitCode: EXIT.usage };
  }
  if (ops.length === 0)
    return { lines: [`mqtt-harness fleet check: ${file}: the history is empty`], exitCode: EXIT.usage };
  let version: SpecVersion;
  try {
    version = chooseVersion(ops, o.version);
  } catch (e) {
    if (e instanceof UsageError)
      return { lines: [`mqtt-harness fleet check: ${file}: ${e.message}`], exitCode: EXIT.usage };
    throw e;
  }
  const rs = checkAll(ops, o.checkers, { version, ...(o.settleMs !== undefined ? { settleMs: o.settleMs } : {}) });
  const lines = [`${file}: ${ops.length} ops, MQTT ${version}`];
  for (const r of rs) {
    const { outcome, cause } = verdictOutcome(r.verdict);
    lines.push(`[${outcome}${cause ? `: ${cause}` : ''}] ${formatResult(r)}`);
  }
  const s = summarizeVerdicts(rs);
  lines.push(s.line);
  const results = rs.map((r) => ({ ...r, ...verdictOutcome(r.verdict) }));
  return { lines, exitCode: exitCodeFor(rs), json: { file, ops: ops.length, version, results, summary: s } };
}

export function registerCheck(fleet: Command): void {
  fleet
    .command('check')
    .argument('<history>', 'a history file (JSON lines, as written by --history or attached to a failed scenario)')
    .option('--checkers <list>', 'comma-separated checker names (default: all)', checkersArg)
    .option(
      '--version <v>',
      'MQTT version whose statements to cite, only for a history that records none (3.1.1 or 5.0)',
      versionArg,
    )
    .option(
      '--settle-ms <ms>',
      'a message acknowledged less than this long before its subscriber stopped being observed is not yet owed (default 0)',
      (v) => {
        const n = Number(v);
        if (!/^[0-9]+$/.test(v)) throw new InvalidArgumentError(`expected whole milliseconds, got "${v}"`);
        return n;
      },
    )
    .option(
      '--json',
      'print the verdicts as JSON (verdict, outcome, counts, undecided reasons, statements, violations, witness)',
    )
    .description(
      'run the guarantee checkers over a saved history (exit 0 all hold, 1 violated, 3 undecided, 2 bad input)',
    )
    .action(
      (file: string, o: { checkers?: CheckerName[]; version?: SpecVersion; settleMs?: number; json?: boolean }) => {
        const out = fleetCheck(file, o);
        if (o.json && out.json !== undefined)
          console.log(JSON.stringify({ ...out.json, exitCode: out.exitCode }, null, 2));
        else for (const l of out.lines) (out.exitCode === EXIT.usage ? console.error : console.log)(l);
        if (out.exitCode !== EXIT.ok) process.exitCode = out.exitCode;
      },
    );
}
