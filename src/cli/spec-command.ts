import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { REGISTRY } from '../spec/index.ts';
import type { SpecVersion, Statement, Testability } from '../spec/index.ts';

/** `mqtt-harness spec`: lists the normative-statement registry as a table or as JSON. */

const VERSION_ALIASES: Record<string, SpecVersion> = {
  '3.1.1': '3.1.1',
  '311': '3.1.1',
  '5': '5.0',
  '5.0': '5.0',
};

/** Accepts 3.1.1 / 311 / 5 / 5.0; anything else is an error that says what is allowed. */
export function parseSpecVersion(input: string): SpecVersion {
  const v = VERSION_ALIASES[input.trim()];
  if (!v) {
    throw new InvalidArgumentError(`unknown MQTT version "${input}"; use 3.1.1 (or 311) or 5.0 (or 5)`);
  }
  return v;
}

export interface SpecFilter {
  version?: SpecVersion;
  /** Only statements a network test against a broker can check. */
  testable?: boolean;
}

export function selectStatements(filter: SpecFilter, all: readonly Statement[] = REGISTRY): Statement[] {
  return all.filter(
    (s) =>
      (filter.version === undefined || s.version === filter.version) &&
      (!filter.testable || s.testability.kind === 'network'),
  );
}

const KINDS: Array<Testability['kind']> = ['network', 'server-internal', 'client-only'];

/** One line: how many statements per version, split by testability. */
export function countLine(list: readonly Statement[]): string {
  const versions = [...new Set(list.map((s) => s.version))];
  const parts = versions.map((v) => {
    const ofV = list.filter((s) => s.version === v);
    const split = KINDS.map((k) => `${ofV.filter((s) => s.testability.kind === k).length} ${k}`).join(', ');
    return `MQTT ${v}: ${ofV.length} (${split})`;
  });
  const noun = list.length === 1 ? 'statement' : 'statements';
  return `${list.length} ${noun}${parts.length ? ` - ${parts.join('; ')}` : ''}`;
}

const HEADERS = ['ID', 'VERSION', 'LEVEL', 'ACTOR', 'TESTABILITY', 'SUMMARY'] as const;

function cells(s: Statement): string[] {
  return [s.id, s.version, s.level, s.actor, s.testability.kind, s.summary];
}

function truncate(line: string, width: number | undefined): string {
  if (width === undefined || line.length <= width) return line;
  return width <= 1 ? line.slice(0, Math.max(width, 0)) : `${line.slice(0, width - 1)}…`;
}

/** The table as lines: aligned columns, each line cut to `width` when given (a terminal). */
export function formatTable(list: readonly Statement[], width?: number): string[] {
  const rows = [HEADERS.slice() as string[], ...list.map(cells)];
  const last = HEADERS.length - 1;
  const widths = HEADERS.map((_, col) => Math.max(...rows.map((r) => r[col].length)));
  return rows.map((r) =>
    truncate(
      r
        .map((c, col) => (col === last ? c : c.padEnd(widths[col])))
        .join('  ')
        .trimEnd(),
      width,
    ),
  );
}

interface SpecOptions {
  json?: boolean;
  version?: SpecVersion;
  testable?: boolean;
}

export function runSpec(opts: SpecOptions, out: NodeJS.WriteStream = process.stdout): void {
  const list = selectStatements({ version: opts.version, testable: opts.testable });
  // Quietly stop when the reader goes away (e.g. `| head`).
  out.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  if (opts.json) {
    out.write(`${JSON.stringify(list, null, 2)}\n`);
    return;
  }
  const width = out.isTTY ? out.columns : undefined;
  const lines = [...formatTable(list, width), '', truncate(countLine(list), width)];
  out.write(`${lines.join('\n')}\n`);
}

export function register(program: Command): void {
  program
    .command('spec')
    .description('list the normative statements of MQTT 3.1.1 and 5.0 known to the harness')
    .option('--json', 'print the statements as JSON')
    .option('--version <version>', 'only one version: 3.1.1 (or 311) or 5.0 (or 5)', parseSpecVersion)
    .option('--testable', 'only statements a network test against a broker can check')
    .action((opts: SpecOptions) => runSpec(opts));
}
