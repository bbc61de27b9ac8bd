import { Formatter, type IFormatterOptions } from '@cucumber/cucumber';
import type * as messages from '@cucumber/messages';
import { complianceReportOf, scrubbed } from './compliance-formatter.ts';
import type { ComplianceReport } from './compliance-report.ts';
import type { ScenarioOutcome } from './verdicts.ts';

/** Drops the characters XML 1.0 forbids (most C0 controls), which a packet dump may carry. */
const xmlSafe = (s: string): string =>
  [...s]
    .filter((c) => {
      const n = c.charCodeAt(0);
      return n >= 0x20 || n === 0x09 || n === 0x0a || n === 0x0d;
    })
    .join('');

const esc = (s: string): string =>
  xmlSafe(s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!));

function testcase(o: ScenarioOutcome): string {
  const where = o.where.replace(/:\d+$|:\?$/, '');
  const name = `${o.name} [MQTT ${o.version ?? '?'}] (${o.where})`;
  const time = ((o.durationMs ?? 0) / 1000).toFixed(3);
  const head = `  <testcase classname="${esc(where)}" name="${esc(name)}" time="${time}"`;
  const detail = o.detail ?? '';
  const first = detail.split('\n')[0] ?? '';
  const step = o.step
    ? ` at "${o.step.text}"${o.step.statements.length ? ` (checks ${o.step.statements.join(', ')})` : ''}`
    : '';
  switch (o.kind) {
    case 'passed':
      return `${head}/>`;
    case 'failed':
      return `${head}>\n    <failure type="failed" message="${esc(`failed${step}: ${first}`)}">${esc(detail)}</failure>\n  </testcase>`;
    case 'not-applicable':
      return `${head}>\n    <skipped message="${esc(`not applicable: ${first}`)}"/>\n  </testcase>`;
    case 'advisory':
      return `${head}>\n    <system-out>${esc(`advisory${step}: ${detail}`)}</system-out>\n  </testcase>`;
    case 'inconclusive':
      // Not a verdict on the broker, but not a pass either: JUnit's "error" (the test could not run).
      return `${head}>\n    <error type="inconclusive" message="${esc(`inconclusive (${o.cause ?? '?'})${step}: ${first}`)}">${esc(detail)}</error>\n  </testcase>`;
  }
}

/** JUnit XML with the five outcomes: failed → failure, inconclusive → error, not applicable → skipped, advisory → passed with a note. */
export function renderJunit(r: ComplianceReport): string {
  const os = r.scenarioResults;
  const n = (k: string): number => os.filter((o) => o.kind === k).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuite name="mqtt-harness conformance: ${esc(r.target)}" tests="${os.length}" failures="${n('failed')}" errors="${n('inconclusive')}" skipped="${n('not-applicable')}">`,
    ...os.map(testcase),
    '</testsuite>',
    '',
  ].join('\n');
}

/**
 * Cucumber formatter writing JUnit XML from the compliance verdicts (instead of cucumber's own
 * junit, which only knows passed / failed / skipped): `./src/report/junit-formatter.ts:reports/junit.xml`.
 */
export default class JunitFormatter extends Formatter {
  static override readonly documentation =
    'JUnit XML with the compliance outcomes (failed, inconclusive, not applicable, advisory)';

  constructor(options: IFormatterOptions) {
    super(options);
    options.eventBroadcaster.on('envelope', (e: messages.Envelope) => {
      if (!e.testRunFinished) return;
      this.log(scrubbed(renderJunit(complianceReportOf(this.eventDataCollector))));
    });
  }
}
