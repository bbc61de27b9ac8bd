/**
 * `npm run conformance:mosquitto`: starts Debian mosquitto on free loopback ports (TCP and
 * WebSocket, src/report/targets), runs the conformance suite against it into MQTT_REPORT_DIR
 * (default reports/mosquitto), then goes through the same code path as
 * `mqtt-harness report DIR --out DIR/site --baseline scenarios/expectations/mosquitto-2.0.11.yaml
 *  --junit DIR/expectations-junit.xml`: the ratchet (a new failure exits 1 and is named; fixed
 * ones are reported) and the site.
 *   -- --update   remove fixed entries from the baseline      -- --record   re-record it from this run
 *   -- --reuse    judge the previous run's report instead of running the suite
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { didYouMean } from '../common/close-match.ts';
import { EXIT } from '../common/exit-codes.ts';
import { generateReport } from './report-run.ts';
import { mosquitto, targetEnv } from './targets/index.ts';

const BASELINE = 'scenarios/expectations/mosquitto-2.0.11.yaml';
const dir = process.env.MQTT_REPORT_DIR || 'reports/mosquitto';
const args = process.argv.slice(2);
const known = ['--update', '--record', '--reuse'];
const unknown = args.filter((a) => !known.includes(a));
if (unknown.length) {
  console.error(
    `conformance:mosquitto: unknown option(s) ${unknown.map((u) => `${u}${didYouMean(u, known)}`).join(' ')}; known: ${known.join(' ')}`,
  );
  process.exit(EXIT.usage);
}
const junit = join(dir, 'expectations-junit.xml');

let status = 0;
if (!args.includes('--reuse')) {
  // A report left by an earlier run must never be read as this run's result.
  rmSync(join(dir, 'compliance.json'), { force: true });
  rmSync(junit, { force: true });
  const target = await mosquitto.start((l) => console.log(`conformance:mosquitto: ${l}`));
  try {
    console.log(
      `mosquitto ${target.broker.version ?? ''} listening at ${target.url}; running the conformance suite (reports in ${dir}/)`,
    );
    status = await new Promise<number>((resolve) => {
      const child = spawn('npx', ['cucumber-js'], {
        stdio: 'inherit',
        env: targetEnv(target, { ...process.env, MQTT_REPORT_DIR: dir }),
      });
      child.once('exit', (code) => resolve(code ?? 1));
    });
  } finally {
    await target.stop();
  }
}

try {
  const r = generateReport({
    runs: [dir],
    out: join(dir, 'site'),
    labels: ['mosquitto 2.0.11 (Debian)'],
    baselines: [BASELINE],
    junit,
    update: args.includes('--update'),
    record: args.includes('--record'),
  });
  process.exit(r.exit);
} catch (e) {
  console.error(`conformance:mosquitto: cannot judge the run (cucumber exit ${status}): ${(e as Error).message}`);
  process.exit(EXIT.usage);
}
