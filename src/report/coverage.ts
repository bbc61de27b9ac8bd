import { readFileSync, existsSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { REGISTRY } from '../spec/index.ts';
import type { SpecVersion, Statement } from '../spec/index.ts';
import { interpretTags, TagError } from './scenario-tags.ts';
import { findFeatureFiles, scanFeatureFiles, type ScannedScenario } from './feature-scan.ts';

/** A network-testable statement the suite deliberately leaves out, and why. */
export interface CoverageExclusion {
  version: SpecVersion;
  id: string;
  reason: string;
}

export interface VersionCoverage {
  version: SpecVersion;
  /** Network-testable statements of this version. */
  total: number;
  covered: Array<{ statement: Statement; scenarios: string[] }>;
  excluded: Array<{ statement: Statement; reason: string }>;
  uncovered: Statement[];
  /** covered / total, 0..100, one decimal. */
  percent: number;
}

export interface CoverageReport {
  versions: VersionCoverage[];
  /** Tag and exclusion problems; a non-empty list makes the command fail. */
  errors: string[];
}

const ExclusionFile = z
  .object({
    exclusions: z
      .array(
        z
          .object({
            version: z.union([z.literal('3.1.1'), z.literal('5.0')]),
            id: z.string().regex(/^MQTT-/),
            reason: z.string().min(3),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

/** Reads the exclusions YAML; a missing file means none, a malformed one throws naming the file. */
export function loadExclusions(path: string): CoverageExclusion[] {
  if (!existsSync(path)) return [];
  let data: unknown;
  try {
    data = parseYaml(readFileSync(path, 'utf8')) ?? {};
  } catch (e) {
    throw new Error(`${path}: not valid YAML: ${(e as Error).message}`, { cause: e });
  }
  const r = ExclusionFile.safeParse(data);
  if (!r.success) {
    throw new Error(`${path}: ${r.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  }
  return r.data.exclusions;
}

export function computeCoverage(
  scenarios: readonly ScannedScenario[],
  exclusions: readonly CoverageExclusion[],
  registry: readonly Statement[] = REGISTRY,
): CoverageReport {
  const errors: string[] = [];
  const coveredBy = new Map<string, string[]>();
  const key = (s: { version: string; id: string }): string => `${s.version}|${s.id}`;
  for (const sc of scenarios) {
    try {
      const t = interpretTags(sc.tags, `${sc.uri}:${sc.line} "${sc.name}"`);
      // A negative control checks the harness against its own broken broker: no coverage.
      if (t.negativeControl) continue;
      for (const s of t.statements) {
        const list = coveredBy.get(key(s)) ?? [];
        list.push(`${sc.uri}:${sc.line}`);
        coveredBy.set(key(s), list);
      }
    } catch (e) {
      if (e instanceof TagError) errors.push(e.message);
      else throw e;
    }
  }
  const excludedKey = new Map<string, string>();
  for (const x of exclusions) {
    const s = registry.find((r) => r.version === x.version && r.id === x.id);
    if (!s) errors.push(`coverage exclusion ${x.id} is not a statement of MQTT ${x.version}`);
    else if (s.testability.kind !== 'network')
      errors.push(`coverage exclusion ${x.id} (MQTT ${x.version}) is not network-testable, so it needs no exclusion`);
    else if (coveredBy.has(key(s)))
      errors.push(
        `coverage exclusion ${x.id} (MQTT ${x.version}) is covered by ${coveredBy.get(key(s))!.join(', ')}; remove the exclusion`,
      );
    excludedKey.set(`${x.version}|${x.id}`, x.reason);
  }
  const versions = (['3.1.1', '5.0'] as const).map((version): VersionCoverage => {
    const net = registry.filter((s) => s.version === version && s.testability.kind === 'network');
    const covered = net
      .filter((s) => coveredBy.has(key(s)))
      .map((statement) => ({ statement, scenarios: coveredBy.get(key(statement))! }));
    const excluded = net
      .filter((s) => !coveredBy.has(key(s)) && excludedKey.has(`${version}|${s.id}`))
      .map((statement) => ({ statement, reason: excludedKey.get(`${version}|${statement.id}`)! }));
    const uncovered = net.filter((s) => !coveredBy.has(key(s)) && !excludedKey.has(`${version}|${s.id}`));
    const percent = net.length === 0 ? 0 : Math.round((covered.length / net.length) * 1000) / 10;
    return { version, total: net.length, covered, excluded, uncovered, percent };
  });
  return { versions, errors };
}

/** The text the coverage command prints. */
export function formatCoverage(r: CoverageReport, listUncovered = true): string {
  const lines: string[] = [];
  for (const v of r.versions) {
    lines.push(
      `MQTT ${v.version}: ${v.covered.length}/${v.total} network-testable statements covered (${v.percent}%), ${v.excluded.length} excluded, ${v.uncovered.length} uncovered`,
    );
    if (listUncovered) {
      for (const s of v.uncovered) lines.push(`  uncovered ${s.id.padEnd(16)} ${s.level.padEnd(10)} ${s.summary}`);
      for (const x of v.excluded) lines.push(`  excluded  ${x.statement.id.padEnd(16)} ${x.reason}`);
    }
  }
  for (const e of r.errors) lines.push(`ERROR ${e}`);
  return lines.join('\n');
}

export const DEFAULT_EXCLUSIONS = 'features/coverage-exclusions.yaml';

/** Scans the feature files under `featuresDir` and the exclusions file into a coverage report. */
export function projectCoverage(featuresDir = 'features', exclusionsPath = DEFAULT_EXCLUSIONS): CoverageReport {
  const scenarios = scanFeatureFiles(findFeatureFiles(featuresDir));
  return computeCoverage(scenarios, loadExclusions(exclusionsPath));
}

/** JSON form for other tools: per version, covered statement ids with their scenarios. */
export function coverageJson(r: CoverageReport): unknown {
  return {
    versions: r.versions.map((v) => ({
      version: v.version,
      total: v.total,
      covered: v.covered.length,
      percent: v.percent,
      coveredStatements: Object.fromEntries(v.covered.map((c) => [c.statement.id, c.scenarios])),
      excluded: v.excluded.map((x) => ({ id: x.statement.id, reason: x.reason })),
      uncovered: v.uncovered.map((s) => s.id),
    })),
    errors: r.errors,
  };
}
