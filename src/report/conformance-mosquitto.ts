/**
 * `npm run conformance:mosquitto`: starts /usr/sbin/mosquitto on a free port, runs the
 * conformance suite against it (reports in reports/mosquitto/), and compares the failing
 * scenarios with scenarios/expectations/mosquitto-2.0.11.yaml. Exits 1 when the set of
 * failures changed (printing what was added / removed), 0 when it is the same.
 * `--update` rewrites the expectation file from this run instead; `--reuse` skips the run and
 * reads the report of the previous one.
 * It also writes reports/mosquitto/expectations-junit.xml for CI: one <testcase> per scenario,
 * failing where the outcome differs from the expectation file (as it was before an --update).
 * Mosquitto gets a WebSocket listener too (MQTT_WS_URL), for features/websocket/text-frames.feature.
 */
import { spawn } from 'node:child_process';
import { startLocalMosquitto } from './local-mosquitto.ts';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { compareFailures, failuresOf, formatDiff, judgeRun, loadExpectations, mergeNotes, renderExpectations, renderJudgedJunit } from './expectations.ts';
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
  rmSync(`${REPORT_DIR}/expectations-junit.xml`, { force: true });
  const mosquitto = await startLocalMosquitto({ websockets: true });
  try {
    console.log(`mosquitto listening at ${mosquitto.url}; running the conformance suite (reports in ${REPORT_DIR}/)`);
    return await new Promise<number>((resolve) => {
      const child = spawn('npx', ['cucumber-js'], {
        stdio: 'inherit',
        env: { ...process.env, MQTT_BROKER_URL: mosquitto.url, MQTT_WS_URL: mosquitto.wsUrl, MQTT_REPORT_DIR: REPORT_DIR },
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
const expected = existsSync(EXPECTATIONS) ? loadExpectations(EXPECTATIONS).failures : [];
const judged = judgeRun(expected, report.scenarioResults);
writeFileSync(`${REPORT_DIR}/expectations-junit.xml`, renderJudgedJunit(`mosquitto 2.0.11 against ${EXPECTATIONS}`, judged));
console.log(`${REPORT_DIR}/expectations-junit.xml: ${judged.length} scenarios judged, ${judged.filter((j) => !j.ok).length} differ from the expectations`);
if (update) {
  const failures = mergeNotes(expected, actual);
  writeFileSync(EXPECTATIONS, `# Scenarios Debian mosquitto 2.0.11 is expected to fail, with the evidence seen.\n# Regenerate with: npm run conformance:mosquitto -- --update (notes are kept; review every new entry).\n${renderExpectations({ broker: 'mosquitto 2.0.11 (Debian)', failures })}`);
  console.log(`wrote ${actual.length} expected failure(s) to ${EXPECTATIONS}`);
  process.exit(0);
}
const diff = compareFailures(expected, actual);
console.log(formatDiff(diff));
process.exit(diff.added.length + diff.removed.length > 0 ? 1 : 0);
