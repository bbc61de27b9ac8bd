import { formatCapabilities, type Capabilities } from '../client/index.ts';
import { EXIT } from '../common/exit-codes.ts';
import type { InconclusiveCause } from '../common/outcome.ts';
import type { Finding } from './attachments.ts';
import type { CollectedRun } from './collect-outcomes.ts';
import {
  computeVerdicts,
  summarize,
  type ScenarioOutcome,
  type StatementVerdict,
  type VersionSummary,
} from './verdicts.ts';

/** The run information the World attaches once per worker. */
export interface RunInfo {
  target: string;
  capabilities?: Capabilities;
  /** Probe findings (a probe that made the broker close the connection...). */
  findings?: Finding[];
}

/** How the run as a whole ended, and the exit code that says so. */
export interface RunVerdict {
  /** usage-error: the settings were refused, nothing was run (exit 2). */
  outcome: 'compliant' | 'violations' | 'inconclusive' | 'usage-error';
  exitCode: 0 | 1 | 2 | 3;
  /** Why nothing (or not everything) could be concluded. */
  inconclusive?: { cause: InconclusiveCause; message: string };
}

/** The content of reports/compliance.json. */
export interface ComplianceReport {
  tool: 'mqtt-harness';
  schemaVersion: 2;
  generatedAt: string;
  target: string;
  broker?: { name?: string; version?: string };
  capabilities?: Capabilities;
  run: RunVerdict;
  verdictPolicy: string;
  summary: VersionSummary[];
  scenarios: {
    total: number;
    passed: number;
    failed: number;
    advisory: number;
    notApplicable: number;
    inconclusive: number;
    /** @negative-control scenarios (harness self-checks against its own broken broker; not counted in verdicts). */
    negativeControls: number;
  };
  findings: Finding[];
  /** Advisory scenarios (recommendations not followed, timing-sensitive checks): findings, not failures. */
  advisoryFindings: ScenarioOutcome[];
  tagErrors: string[];
  harnessErrors: string[];
  statements: StatementVerdict[];
  /** Every scenario run, with its outcome. */
  scenarioResults: ScenarioOutcome[];
}

export const VERDICT_POLICY =
  'A statement fails only when a step that checks it failed; a scenario that stopped before its checking step is inconclusive ' +
  'for its statements, never failed. Recommendations (SHOULD / MAY, @advisory scenarios) and timer checks that held when ' +
  're-checked at three times the time scale are advisory. Exit code: 1 when a MUST statement failed, else 3 when anything was ' +
  'inconclusive (unreachable or failing target, refused credentials, harness errors), else 0.';

/** The run's verdict from its statement verdicts, scenario outcomes and errors. */
export function runVerdict(
  statements: readonly StatementVerdict[],
  outcomes: readonly ScenarioOutcome[],
  errors: readonly string[],
  findings: readonly Finding[] = [],
): RunVerdict {
  if (statements.some((s) => s.verdict === 'failed')) return { outcome: 'violations', exitCode: EXIT.violations };
  const down = findings.find((f) => f.origin === 'run');
  if (down)
    return {
      outcome: 'inconclusive',
      exitCode: EXIT.inconclusive,
      inconclusive: { cause: 'target-down', message: down.message },
    };
  const inc = outcomes.filter((o) => o.kind === 'inconclusive' && !o.negativeControl);
  if (inc.length > 0 || errors.length > 0) {
    const cause: InconclusiveCause = inc[0]?.cause ?? 'harness-error';
    const message =
      inc.length > 0
        ? `${inc.length} scenario(s) inconclusive, first: ${inc[0].where} ${inc[0].name} (${inc[0].cause ?? 'unknown cause'})`
        : `${errors.length} harness error(s), first: ${errors[0].split('\n')[0]}`;
    return { outcome: 'inconclusive', exitCode: EXIT.inconclusive, inconclusive: { cause, message } };
  }
  return { outcome: 'compliant', exitCode: EXIT.ok };
}

export function buildComplianceReport(run: CollectedRun & { info?: RunInfo }, now = new Date()): ComplianceReport {
  const statements = computeVerdicts(run.outcomes);
  const count = (k: string): number => run.outcomes.filter((o) => o.kind === k && !o.negativeControl).length;
  const harnessErrors = [
    ...run.outcomes
      .filter((o) => o.kind === 'inconclusive' && o.cause === 'harness-error')
      .map((o) => `${o.where} ${o.name}: ${o.detail ?? 'error'}`),
    // A negative control that does not pass means a checker missed a broken broker: the harness is wrong.
    ...run.outcomes
      .filter((o) => o.negativeControl && o.kind !== 'passed' && o.kind !== 'not-applicable')
      .map(
        (o) =>
          `${o.where} ${o.name}: negative control ${o.kind}, the harness did not catch its broken broker: ${(o.detail ?? '').split('\n')[0]}`,
      ),
  ];
  const probeFindings: Finding[] = (run.info?.capabilities?.findings ?? []).map((f) => ({ origin: 'probe', ...f }));
  const findings = [...probeFindings, ...(run.info?.findings ?? []), ...run.findings];
  return {
    tool: 'mqtt-harness',
    schemaVersion: 2,
    generatedAt: now.toISOString(),
    target: run.info?.target ?? 'unknown',
    ...(process.env.MQTT_BROKER_NAME
      ? { broker: { name: process.env.MQTT_BROKER_NAME, version: process.env.MQTT_BROKER_VERSION } }
      : {}),
    capabilities: run.info?.capabilities,
    run: runVerdict(statements, run.outcomes, [...run.tagErrors, ...harnessErrors], findings),
    verdictPolicy: VERDICT_POLICY,
    summary: summarize(statements),
    scenarios: {
      total: run.outcomes.length,
      passed: count('passed'),
      failed: count('failed'),
      advisory: count('advisory'),
      notApplicable: count('not-applicable'),
      inconclusive: count('inconclusive'),
      negativeControls: run.outcomes.filter((o) => o.negativeControl).length,
    },
    findings,
    advisoryFindings: run.outcomes.filter((o) => o.kind === 'advisory' && !o.negativeControl),
    tagErrors: run.tagErrors,
    harnessErrors,
    statements,
    scenarioResults: run.outcomes,
  };
}

/** The short summary printed at the end of a run. */
export function formatComplianceSummary(r: ComplianceReport, reportPath = 'reports/compliance.json'): string {
  const lines = ['', `Compliance of ${r.target}`];
  for (const s of r.summary) {
    lines.push(
      `  MQTT ${s.version.padEnd(6)} ${s.passed} passed, ${s.failed} failed, ${s.advisory} advisory, ${s.notApplicable} not applicable, ` +
        `${s.inconclusive} inconclusive, ${s.untested} untested (${s.untestedNetwork} network-testable) — of ${s.statements} statements`,
    );
  }
  const sc = r.scenarios;
  lines.push(
    `  scenarios: ${sc.total} run, ${sc.passed} passed, ${sc.failed} failed, ${sc.advisory} advisory, ${sc.notApplicable} not applicable, ${sc.inconclusive} inconclusive` +
      (sc.negativeControls
        ? ` (${sc.negativeControls} harness self-checks — negative controls and audits — not counted as evidence)`
        : ''),
  );
  const show = (v: StatementVerdict): string =>
    `    ${v.version.padEnd(6)}${v.id.padEnd(16)}${v.level.padEnd(11)}${v.deciding ? `${v.deciding.where}${v.deciding.step ? `  ${v.deciding.step}` : ''}` : ''}`;
  const failed = r.statements.filter((v) => v.verdict === 'failed');
  if (failed.length > 0) lines.push('  failed statements (a step that checks them failed):', ...failed.map(show));
  const advisory = r.statements.filter((v) => v.verdict === 'advisory');
  if (advisory.length > 0)
    lines.push(
      '  advisory (recommendations not followed, timing-sensitive checks; not a failure):',
      ...advisory.map(show),
    );
  const inconclusive = r.scenarioResults.filter((o) => o.kind === 'inconclusive' && !o.negativeControl);
  if (inconclusive.length > 0) {
    lines.push('  inconclusive scenarios (no evidence either way):');
    for (const o of inconclusive.slice(0, 15))
      lines.push(`    ${(o.version ?? '').padEnd(6)}${o.where} ${o.name} [${o.cause ?? '?'}]`);
    if (inconclusive.length > 15) lines.push(`    … and ${inconclusive.length - 15} more (see ${reportPath})`);
  }
  for (const f of r.findings) lines.push(`  FINDING (${f.origin}) ${f.message}`);
  for (const e of [...r.tagErrors, ...r.harnessErrors]) lines.push(`  ERROR ${e.split('\n').join('\n        ')}`);
  if (r.capabilities) lines.push(formatCapabilities(r.capabilities).replace(/^/gm, '  '));
  const word =
    r.run.outcome === 'compliant' ? 'COMPLIANT' : r.run.outcome === 'violations' ? 'VIOLATIONS' : 'INCONCLUSIVE';
  lines.push(
    `  verdict: ${word} (exit ${r.run.exitCode})${r.run.inconclusive ? ` — ${r.run.inconclusive.cause}: ${r.run.inconclusive.message}` : ''}`,
  );
  lines.push(`  report: ${reportPath}`, '');
  return lines.join('\n');
}
