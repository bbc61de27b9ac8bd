import { ProgressFormatter, type IFormatterOptions } from '@cucumber/cucumber';
import type * as messages from '@cucumber/messages';
import { formatComplianceSummary } from './compliance-report.ts';
import { complianceReportOf, scrubbed } from './compliance-formatter.ts';

/**
 * Cucumber's progress output, then the compliance summary (statements passed / failed /
 * not applicable / untested per version, failed statements, capability table).
 */
export default class ConsoleFormatter extends ProgressFormatter {
  static override readonly documentation = 'Progress dots plus the MQTT compliance summary';

  constructor(options: IFormatterOptions) {
    super(options);
    options.eventBroadcaster.on('envelope', (e: messages.Envelope) => {
      if (!e.testRunFinished) return;
      this.log(
        scrubbed(
          formatComplianceSummary(
            complianceReportOf(this.eventDataCollector),
            `${process.env.MQTT_REPORT_DIR || 'reports'}/compliance.json`,
          ),
        ),
      );
    });
  }
}
