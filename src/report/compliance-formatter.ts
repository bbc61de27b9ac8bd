import { Formatter, type IFormatterOptions } from '@cucumber/cucumber';
import type * as messages from '@cucumber/messages';
import { collectOutcomes } from './collect-outcomes.ts';
import { buildComplianceReport, type RunInfo } from './compliance-report.ts';
import { MEDIA_CAPABILITIES } from './attachments.ts';

/** Reads the run information attached by the first scenario of any worker. */
export function runInfoOf(attempts: ReturnType<IFormatterOptions['eventDataCollector']['getTestCaseAttempts']>): RunInfo | undefined {
  for (const a of attempts) {
    for (const att of Object.values(a.stepAttachments).flat() as messages.Attachment[]) {
      if (att.mediaType === MEDIA_CAPABILITIES) return JSON.parse(att.body) as RunInfo;
    }
  }
  return undefined;
}

/** The compliance report of a finished run, from the formatter's collected test case attempts. */
export function complianceReportOf(collector: Formatter['eventDataCollector']): ReturnType<typeof buildComplianceReport> {
  const attempts = collector.getTestCaseAttempts();
  return buildComplianceReport({ ...collectOutcomes(attempts), info: runInfoOf(attempts) });
}

/**
 * Cucumber formatter writing reports/compliance.json: a verdict for every statement of the
 * registry (passed / failed / not-applicable / untested), the target and its capabilities.
 * Use as `./src/report/compliance-formatter.ts:reports/compliance.json`.
 */
export default class ComplianceFormatter extends Formatter {
  static override readonly documentation = 'Per-statement MQTT compliance verdicts as JSON';

  constructor(options: IFormatterOptions) {
    super(options);
    options.eventBroadcaster.on('envelope', (e: messages.Envelope) => {
      if (!e.testRunFinished) return;
      this.log(`${JSON.stringify(complianceReportOf(this.eventDataCollector), null, 2)}\n`);
    });
  }
}
