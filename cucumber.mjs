// Cucumber configuration of the MQTT conformance suite.
//
//   npx cucumber-js                          embedded reference broker (started per worker) with
//                                            scenarios/embedded/default.yaml: every capability, two
//                                            test users (credential-gated scenarios run), a WS listener
//   npx cucumber-js features/retained        only that folder (any paths, --name, --tags narrow as usual)
//   npx cucumber-js -p embedded-limits       embedded broker with scenarios/embedded/limits.yaml
//                                            (capabilities off, small limits: the gated scenarios run)
//   MQTT_BROKER_URL=mqtt://u:p@host:1883 npx cucumber-js
//   npx cucumber-js -p mosquitto             a local mosquitto on 1883
//   npx cucumber-js --world-parameters '{"broker":"wss://host/mqtt","insecure":true}'
//
// Target options (world parameter / environment variable; the environment wins):
//   broker / MQTT_BROKER_URL        embedded | container:<image> | mqtt:// mqtts:// ws:// wss:// URL
//   caFile / MQTT_CA_FILE           CA for mqtts / wss;  insecure / MQTT_INSECURE=1 accepts any certificate
//   username, password / MQTT_USERNAME, MQTT_PASSWORD       (also user:pass@ in the URL)
//   username2, password2 / MQTT_USERNAME2, MQTT_PASSWORD2   second identity for authorization scenarios
//   clientIdPrefix / MQTT_CLIENT_ID_PREFIX, topicPrefix / MQTT_TOPIC_PREFIX   for shared brokers
//   timeScale / MQTT_TIME_SCALE     multiplies every timeout (slow brokers or links)
//   discover / MQTT_DISCOVER=0      skip the capability probe
//   embeddedConfig / MQTT_EMBEDDED_CONFIG   broker config of the embedded target (default
//                                   scenarios/embedded/default.yaml; "none": bare broker, no users);
//                                   its <name>.credentials.yaml gives the credentials unless set above
//   wsUrl / MQTT_WS_URL             a ws:// endpoint of the same target for the WebSocket scenarios
//
// Before any worker starts, src/report/preflight.ts checks the settings (exit 2 with every bad
// setting named once) and that a URL target answers with the harness's credentials (exit 3 within
// ~10 s when it is unreachable, refuses the credentials or never answers). Either way every report
// file is written, saying why. Exit codes: 0 compliant, 1 MUST violations, 2 usage / config,
// 3 inconclusive (the compliance formatter sets them from the verdicts).
//
// The main process loads the TypeScript formatters through tsx; the workers load tsx through
// steps/support/register.mjs, imported before the step files.
import { register } from 'tsx/esm/api';

register();

// MQTT_REPORT_DIR moves every report (the mosquitto comparison run uses reports/mosquitto).
const dir = process.env.MQTT_REPORT_DIR || 'reports';

const common = {
  import: ['steps/support/register.mjs', 'steps/**/*.ts'],
  // Paths: cucumber's default (features/**/*.feature) unless the command line names some;
  // MQTT_FEATURES="features/connection,features/publish/qos1.feature" also narrows a run.
  ...(process.env.MQTT_FEATURES ? { paths: process.env.MQTT_FEATURES.split(',') } : {}),
  format: [
    './src/report/console-formatter.ts',
    `html:${dir}/cucumber.html`,
    `./src/report/junit-formatter.ts:${dir}/junit.xml`,
    `message:${dir}/messages.ndjson`,
    `./src/report/compliance-formatter.ts:${dir}/compliance.json`,
  ],
  // Each worker starts its own embedded broker. Most scenario time is protocol waiting (keep
  // alive, expiry), so 4 workers beat 2 even on 2 cores (measured 47 s vs 67 s for 376
  // scenarios under load); MQTT_PARALLEL=0 runs in one process (fastest for a few scenarios).
  parallel: process.env.MQTT_PARALLEL ? Number(process.env.MQTT_PARALLEL) : 4,
  // A failed timer-based check (@timing: keep alive, expiry, will delay) is re-checked once at
  // three times the time scale; if it then holds, it is reported as timing-sensitive (advisory).
  retry: 1,
  retryTagFilter: '@timing',
};

const target = (broker, extra = {}) => ({ ...common, worldParameters: { broker, ...extra } });

export const mosquitto = target('mqtt://127.0.0.1:1883');
export const emqx = target('mqtt://127.0.0.1:1883', { timeScale: 2 });
export const hivemq = target('mqtt://127.0.0.1:1883', { timeScale: 2 });
export const container = target('container:eclipse-mosquitto:2', { timeScale: 2 });
/** The embedded broker with its optional capabilities off and small limits. */
const embeddedLimits = { ...common, worldParameters: { embeddedConfig: 'scenarios/embedded/limits.yaml' } };
export { embeddedLimits as 'embedded-limits' };
/** The embedded broker with every legal-but-different variant switch on (issue 10). */
const embeddedDifferent = { ...common, worldParameters: { embeddedConfig: 'scenarios/embedded/different.yaml' } };
export { embeddedDifferent as 'embedded-different' };
/** CI: the default run, strict (undefined or pending steps fail), no retries. */
export const ci = { ...common, retry: 0, strict: true };
export default common;

// The preflight runs once, here in the main process, for commands that run scenarios.
const argv = process.argv.slice(2);
const informational = argv.some((a) =>
  /^(--dry-run|-d|--help|-h|--version|-v|--i18n-languages|--i18n-keywords)(=|$)/.test(a),
);
if (!informational) {
  const { preflight, selectedWorldParameters, writeStoppedReports } = await import('./src/report/preflight.ts');
  const profiles = {
    default: common,
    mosquitto,
    emqx,
    hivemq,
    container,
    'embedded-limits': embeddedLimits,
    'embedded-different': embeddedDifferent,
    ci,
  };
  let params;
  try {
    params = selectedWorldParameters(argv, profiles);
  } catch (e) {
    console.error(`mqtt-harness: ${e.message}`);
    process.exit(2);
  }
  const r = await preflight(params);
  if (!r.ok) {
    const target = process.env.MQTT_BROKER_URL || params.broker || 'embedded';
    writeStoppedReports(dir, r, String(target));
    const { redactUrl } = await import('./src/common/index.ts');
    const head = r.exitCode === 2 ? 'configuration error' : `inconclusive (${r.cause}), no scenario was run`;
    console.error(`mqtt-harness: ${head}: ${r.message}`);
    console.error(`mqtt-harness: reports in ${dir}/ say so; target ${redactUrl(String(target))}; exit ${r.exitCode}`);
    process.exit(r.exitCode);
  }
}
