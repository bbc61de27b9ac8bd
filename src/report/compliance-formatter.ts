import { Formatter, type IFormatterOptions } from '@cucumber/cucumber';
import type * as messages from '@cucumber/messages';
import { knownSecrets, scrubSecrets } from '../common/index.ts';
import { collectOutcomes } from './collect-outcomes.ts';
import { buildComplianceReport, type ComplianceReport, type RunInfo } from './compliance-report.ts';
import { MEDIA_CAPABILITIES } from './attachments.ts';

/** Reads the run information attached by the first scenario of any worker. */
export function runInfoOf(
  attempts: ReturnType<IFormatterOptions['eventDataCollector']['getTestCaseAttempts']>,
): RunInfo | undefined {
  for (const a of attempts) {
    for (const att of Object.values(a.stepAttachments).flat() as messages.Attachment[]) {
      if (att.mediaType === MEDIA_CAPABILITIES) return JSON.parse(att.body) as RunInfo;
    }
  }
  return undefined;
}

let cached: { collector: unknown; report: ComplianceReport } | undefined;

/**
 * The compliance report of a finished run, from the formatter's collected test case attempts
 * (computed once per run, shared by the console summary and compliance.json). It also sets
 * the process exit code from the verdicts: 0 compliant, 1 MUST violations, 3 inconclusive.
 */
export function complianceReportOf(collector: Formatter['eventDataCollector']): ComplianceReport {
  if (cached?.collector === collector) return cached.report;
  const attempts = collector.getTestCaseAttempts();
  const report = buildComplianceReport({ ...collectOutcomes(attempts), info: runInfoOf(attempts) });
  cached = { collector, report };
  // cucumber sets process.exitCode (0 / 1) after the formatters finish; the verdict's code wins.
  process.once('exit', () => {
    process.exitCode = report.run.exitCode;
  });
  return report;
}

/** Text for any report output: the run's secrets scrubbed, whatever path they came by. */
export const scrubbed = (text: string): string => scrubSecrets(text, knownSecrets());

/**
 * Cucumber formatter writing reports/compliance.json: a verdict for every statement of the
 * registry (passed / failed / advisory / not-applicable / inconclusive / untested), the deciding
 * step of each, the run's verdict and exit code, the target and its capabilities.
 * Use as `./src/report/compliance-formatter.ts:reports/compliance.json`.
 */
export default class ComplianceFormatter extends Formatter {
  static override readonly documentation = 'Per-statement MQTT compliance verdicts as JSON';

  constructor(options: IFormatterOptions) {
    super(options);
    options.eventBroadcaster.on('envelope', (e: messages.Envelope) => {
      if (!e.testRunFinished) return;
      this.log(scrubbed(`${JSON.stringify(complianceReportOf(this.eventDataCollector), null, 2)}\n`));
    });
  }
}
