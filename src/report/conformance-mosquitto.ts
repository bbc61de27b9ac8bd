/**
 * `npm run conformance:mosquitto`: starts /usr/sbin/mosquitto on a free port, runs the
 * conformance suite against it (reports in reports/mosquitto/), and compares the failing
 * scenarios with scenarios/expectations/mosquitto-2.0.11.yaml. Exits 1 when the set of
 * failures changed (printing what was added / removed), 0 when it is the same.
 * `--update` rewrites the expectation file from this run instead; `--reuse` skips the run and
 * reads the report of the previous one.
 */
import { spawn } from 'node:child_process';
import { startLocalMosquitto } from './local-mosquitto.ts';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { compareFailures, failuresOf, formatDiff, loadExpectations, mergeNotes, renderExpectations } from './expectations.ts';
import type { ComplianceReport } from './compliance-report.ts';

const EXPECTATIONS = 'scenarios/expectations/mosquitto-2.0.11.yaml';
const REPORT_DIR = 'reports/mosquitto';
const update = process.argv.includes('--update');
const reuse = process.argv.includes('--reuse');

let status = 0;
if (!reuse) status = await runSuite();

async function runSuite(): Promise<number> {
  // A report left by an earlier run must never be read as this run's result.
  rmSync(`${REPORT_DIR}/compliance.json`, { force: true });
  const mosquitto = await startLocalMosquitto();
  try {
    console.log(`mosquitto listening at ${mosquitto.url}; running the conformance suite (reports in ${REPORT_DIR}/)`);
    return await new Promise<number>((resolve) => {
      const child = spawn('npx', ['cucumber-js'], {
        stdio: 'inherit',
        env: { ...process.env, MQTT_BROKER_URL: mosquitto.url, MQTT_REPORT_DIR: REPORT_DIR },
      });
      child.once('exit', (code) => resolve(code ?? 1));
    });
  } finally {
    await mosquitto.stop();
  }
}

let report: ComplianceReport;
try {
  report = JSON.parse(readFileSync(`${REPORT_DIR}/compliance.json`, 'utf8')) as ComplianceReport;
} catch (e) {
  console.error(`conformance:mosquitto: no compliance report from the run (cucumber exit ${status}): ${(e as Error).message}`);
  process.exit(2);
}
const actual = failuresOf(report.scenarioResults);
if (update) {
  const previous = existsSync(EXPECTATIONS) ? loadExpectations(EXPECTATIONS).failures : [];
  const failures = mergeNotes(previous, actual);
  writeFileSync(EXPECTATIONS, `# Scenarios Debian mosquitto 2.0.11 is expected to fail, with the evidence seen.\n# Regenerate with: npm run conformance:mosquitto -- --update (notes are kept; review every new entry).\n${renderExpectations({ broker: 'mosquitto 2.0.11 (Debian)', failures })}`);
  console.log(`wrote ${actual.length} expected failure(s) to ${EXPECTATIONS}`);
  process.exit(0);
}
const diff = compareFailures(loadExpectations(EXPECTATIONS).failures, actual);
console.log(formatDiff(diff));
process.exit(diff.added.length + diff.removed.length > 0 ? 1 : 0);
