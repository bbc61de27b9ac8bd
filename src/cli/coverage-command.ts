import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { REGISTRY, findStatement } from '../spec/index.ts';
import type { SpecVersion, Statement } from '../spec/index.ts';
import {
  DEFAULT_EXCLUSIONS,
  coverageJson,
  formatCoverage as formatTagCoverage,
  projectCoverage,
} from '../report/index.ts';

/**
 * `mqtt-harness coverage` (`npm run coverage:spec`): per version, how many network-testable
 * statements the conformance suite's feature files cover (by their @MQTT-x tags), which are
 * uncovered, and which are deliberately excluded (features/coverage-exclusions.yaml).
 *
 * `--map <file>` counts a coverage map instead:
 * Coverage map (reports/coverage-map.json), either shape:
 *   { "3.1.1": ["MQTT-3.3.1-5", ...] | { "MQTT-3.3.1-5": <anything>, ... }, "5.0": ... }
 *   [ { "version": "3.1.1", "id": "MQTT-3.3.1-5" }, ... ]        (StatementRef objects)
 * Either may also sit under a top-level "covered" key.
 */

export const DEFAULT_MAP = 'reports/coverage-map.json';
const VERSIONS: SpecVersion[] = ['3.1.1', '5.0'];

export interface CoverageMap {
  /** `${version}|${id}` of every statement in the registry that the map covers. */
  covered: Set<string>;
  /** Entries that name no statement of the registry. */
  unknown: string[];
}

const isVersion = (v: unknown): v is SpecVersion => v === '3.1.1' || v === '5.0';

/** Reads a coverage map; throws an error naming the file and the offending entry when malformed. */
export function parseCoverageMap(json: unknown, file: string): CoverageMap {
  const map: CoverageMap = { covered: new Set(), unknown: [] };
  const add = (version: unknown, id: unknown, where: string): void => {
    if (!isVersion(version) || typeof id !== 'string') {
      throw new Error(`${file}: ${where}: expected a statement ID of version 3.1.1 or 5.0`);
    }
    if (findStatement(version, id)) map.covered.add(`${version}|${id}`);
    else map.unknown.push(`${id} (MQTT ${version})`);
  };
  const root =
    json && typeof json === 'object' && !Array.isArray(json) && 'covered' in json
      ? (json as { covered: unknown }).covered
      : json;
  if (Array.isArray(root)) {
    root.forEach((r, i) => add((r as { version?: unknown })?.version, (r as { id?: unknown })?.id, `entry ${i}`));
  } else if (root && typeof root === 'object') {
    for (const [version, ids] of Object.entries(root)) {
      if (!isVersion(version)) throw new Error(`${file}: unknown version key "${version}" (expected 3.1.1 or 5.0)`);
      const list = Array.isArray(ids) ? ids : ids && typeof ids === 'object' ? Object.keys(ids) : null;
      if (!list) throw new Error(`${file}: "${version}" must be a list of IDs or an object keyed by ID`);
      list.forEach((id, i) => add(version, id, `"${version}" entry ${i}`));
    }
  } else {
    throw new Error(`${file}: expected an object keyed by version or a list of {version, id}`);
  }
  return map;
}

export interface VersionCoverage {
  version: SpecVersion;
  statements: number;
  network: number;
  /** Covered network-testable statements; null without a coverage map. */
  covered: number | null;
  /** Network-testable statements the map does not cover; empty without a map. */
  uncovered: string[];
}

export function coverageByVersion(map: CoverageMap | null, all: readonly Statement[] = REGISTRY): VersionCoverage[] {
  return VERSIONS.map((version) => {
    const ofV = all.filter((s) => s.version === version);
    const net = ofV.filter((s) => s.testability.kind === 'network');
    const uncovered = map ? net.filter((s) => !map.covered.has(`${version}|${s.id}`)).map((s) => s.id) : [];
    return {
      version,
      statements: ofV.length,
      network: net.length,
      covered: map ? net.length - uncovered.length : null,
      uncovered,
    };
  });
}

export function formatCoverage(rows: readonly VersionCoverage[], mapFile: string, map: CoverageMap | null): string[] {
  const lines = rows.map((r) => {
    const base = `MQTT ${r.version}: ${r.network} network-testable of ${r.statements} statements`;
    if (r.covered === null) return base;
    const pct = r.network ? ((100 * r.covered) / r.network).toFixed(1) : '0.0';
    return `${base}; covered ${r.covered}/${r.network} (${pct}%)`;
  });
  if (!map) lines.push(`no coverage map at ${mapFile}: run the conformance suite to write one`);
  else if (map.unknown.length) lines.push(`warning: ${mapFile} names unknown statements: ${map.unknown.join(', ')}`);
  return lines;
}

interface CoverageOptions {
  map?: string;
  features: string;
  exclusions: string;
  json?: boolean;
  uncovered?: boolean;
}

/**
 * Default: scan the feature files' statement tags (the conformance suite's own coverage),
 * list uncovered network-testable statements and the deliberate exclusions; exit 1 on a bad
 * tag or exclusion. With --map: the older coverage-map input described above.
 */
function runCoverage(opts: CoverageOptions): void {
  if (opts.map !== undefined) {
    runMapCoverage({ ...opts, map: opts.map });
    return;
  }
  const report = projectCoverage(opts.features, opts.exclusions);
  if (opts.json) process.stdout.write(`${JSON.stringify(coverageJson(report), null, 2)}\n`);
  else process.stdout.write(`${formatTagCoverage(report, opts.uncovered !== false)}\n`);
  if (report.errors.length > 0) process.exitCode = 1;
}

function runMapCoverage(opts: CoverageOptions & { map: string }): void {
  let map: CoverageMap | null = null;
  if (existsSync(opts.map)) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(opts.map, 'utf8'));
    } catch (e) {
      throw new Error(`${opts.map}: not valid JSON (${(e as Error).message})`, { cause: e });
    }
    map = parseCoverageMap(json, opts.map);
  }
  const rows = coverageByVersion(map);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ map: map ? opts.map : null, versions: rows }, null, 2)}\n`);
    return;
  }
  const lines = formatCoverage(rows, opts.map, map);
  if (opts.uncovered && map) {
    for (const r of rows) if (r.uncovered.length) lines.push(`uncovered MQTT ${r.version}: ${r.uncovered.join(' ')}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function register(program: Command): void {
  program
    .command('coverage')
    .description(
      'per version: network-testable statements covered by at least one conformance scenario, and the uncovered ones',
    )
    .option('--features <dir>', 'folder of feature files whose statement tags are counted', 'features')
    .option('--exclusions <file>', 'network statements deliberately not exercised, with reasons', DEFAULT_EXCLUSIONS)
    .option('--no-uncovered', 'print only the totals')
    .option('--json', 'print the coverage as JSON')
    .option('--map <file>', `count a coverage map instead of the feature tags (e.g. ${DEFAULT_MAP})`)
    .action((opts: CoverageOptions) => runCoverage(opts));
}
