import { formatCapabilities, type Capabilities } from '../client/index.ts';
import type { CollectedRun } from './collect-outcomes.ts';
import { computeVerdicts, isMust, summarize, type ScenarioOutcome, type StatementVerdict, type VersionSummary } from './verdicts.ts';

/** The run information the World attaches once per worker. */
export interface RunInfo {
  target: string;
  capabilities?: Capabilities;
}

/** The content of reports/compliance.json. */
export interface ComplianceReport {
  tool: 'mqtt-harness';
  generatedAt: string;
  target: string;
  capabilities?: Capabilities;
  /** Exit policy: the run fails only when a MUST / MUST NOT statement failed (or the harness broke). */
  verdictPolicy: string;
  summary: VersionSummary[];
  scenarios: {
    total: number; passed: number; failed: number; advisoryFailed: number; notApplicable: number; errors: number; skipped: number;
    /** @negative-control scenarios (harness self-checks against its own broken broker; not counted in verdicts). */
    negativeControls: number;
  };
  /** Failed advisory scenarios (@advisory or only SHOULD / MAY statements): findings, not run failures. */
  advisoryFindings: ScenarioOutcome[];
  tagErrors: string[];
  harnessErrors: string[];
  statements: StatementVerdict[];
  /** Every scenario run, with its outcome. */
  scenarioResults: ScenarioOutcome[];
}

export function buildComplianceReport(run: CollectedRun & { info?: RunInfo }, now = new Date()): ComplianceReport {
  const statements = computeVerdicts(run.outcomes);
  const count = (k: string): number => run.outcomes.filter((o) => o.kind === k).length;
  return {
    tool: 'mqtt-harness',
    generatedAt: now.toISOString(),
    target: run.info?.target ?? 'unknown',
    capabilities: run.info?.capabilities,
    verdictPolicy:
      'A statement fails when any non-advisory scenario tagged with it fails; failed scenarios fail the cucumber run (exit 1). ' +
      'Advisory scenarios (@advisory, or only SHOULD/MAY statements) that fail are reported to cucumber as skipped and listed ' +
      'as advisory findings, so they never make the run exit non-zero. Not-applicable scenarios (missing capability) are skipped.',
    summary: summarize(statements),
    scenarios: {
      total: run.outcomes.length,
      passed: count('passed'),
      failed: count('failed'),
      advisoryFailed: count('advisory-failed'),
      notApplicable: count('not-applicable'),
      errors: count('error'),
      skipped: count('skipped'),
      negativeControls: run.outcomes.filter((o) => o.negativeControl).length,
    },
    advisoryFindings: run.outcomes.filter((o) => o.kind === 'advisory-failed'),
    tagErrors: run.tagErrors,
    harnessErrors: [
      ...run.outcomes.filter((o) => o.kind === 'error').map((o) => `${o.where} ${o.name}: ${o.detail ?? 'error'}`),
      // A negative control that fails means a checker missed a broken broker: the harness is wrong.
      ...run.outcomes.filter((o) => o.negativeControl && o.kind === 'failed')
        .map((o) => `${o.where} ${o.name}: negative control failed, the harness did not catch its broken broker: ${(o.detail ?? '').split('\n')[0]}`),
    ],
    statements,
    scenarioResults: run.outcomes,
  };
}

/** The short summary printed at the end of a run. */
export function formatComplianceSummary(r: ComplianceReport, reportPath = 'reports/compliance.json'): string {
  const lines = ['', `Compliance of ${r.target}`];
  for (const s of r.summary) {
    lines.push(
      `  MQTT ${s.version.padEnd(6)} ${s.passed} passed, ${s.failed} failed (${s.failedMust} MUST), ` +
      `${s.notApplicable} not applicable, ${s.untested} untested (${s.untestedNetwork} network-testable) — of ${s.statements} statements (${s.networkTestable} network-testable)`,
    );
  }
  const sc = r.scenarios;
  lines.push(`  scenarios: ${sc.total} run, ${sc.passed} passed, ${sc.failed} failed, ${sc.advisoryFailed} advisory findings, ${sc.notApplicable} not applicable${sc.errors ? `, ${sc.errors} harness errors` : ''}` +
    (sc.negativeControls ? ` (${sc.negativeControls} negative controls, not counted as evidence)` : ''));
  const failed = r.statements.filter((v) => v.verdict === 'failed');
  const must = failed.filter((v) => isMust(v.level));
  const advisory = failed.filter((v) => !isMust(v.level));
  const show = (v: StatementVerdict): string =>
    `    ${v.version.padEnd(6)}${v.id.padEnd(16)}${v.level.padEnd(11)}${v.scenarios.filter((s) => s.outcome === 'failed').map((s) => s.where).join(', ')}`;
  if (must.length > 0) lines.push('  failed MUST / MUST NOT statements:', ...must.map(show));
  if (advisory.length > 0) lines.push('  failed SHOULD / MAY statements (advisory, not a run failure):', ...advisory.map(show));
  if (r.advisoryFindings.length > 0) {
    lines.push('  advisory findings (recommendations not followed; not a run failure):');
    for (const o of r.advisoryFindings) lines.push(`    ${(o.version ?? '').padEnd(6)}${o.where} ${o.name}`);
  }
  for (const e of [...r.tagErrors, ...r.harnessErrors]) lines.push(`  ERROR ${e.split('\n').join('\n        ')}`);
  if (r.capabilities) lines.push(formatCapabilities(r.capabilities).replace(/^/gm, '  '));
  lines.push(`  report: ${reportPath}`, '');
  return lines.join('\n');
}
