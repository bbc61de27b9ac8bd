/**
 * Runs one command against one locally started broker:
 *   npx tsx src/report/targets/run-target.ts <embedded|mosquitto|aedes|rabbitmq> -- <command> [args...]
 * Starts the broker on free loopback ports, exports MQTT_BROKER_URL (and MQTT_WS_URL where the
 * broker has a WebSocket listener; MQTT_BROKER_NAME / MQTT_BROKER_VERSION name it in compliance.json), runs the
 * command, stops the broker, and exits with the command's exit code. A broker that cannot be
 * started here exits 3 with what is missing; a bad argument exits 2.
 *   npx tsx src/report/targets/run-target.ts mosquitto -- npx cucumber-js features/retained
 */
import { spawn } from 'node:child_process';
import { didYouMean } from '../../common/close-match.ts';
import { EXIT } from '../../common/exit-codes.ts';
import { redactUrl } from '../../common/redact.ts';
import { findLauncher, LAUNCHERS, targetEnv } from './index.ts';
import type { RunningTarget } from './types.ts';

const argv = process.argv.slice(2);
const sep = argv.indexOf('--');
const name = argv[0];
const command = sep >= 0 ? argv.slice(sep + 1) : [];
const names = LAUNCHERS.map((l) => l.name);
if (!name || name.startsWith('-') || command.length === 0 || sep !== 1) {
  console.error(`usage: run-target.ts <${names.join('|')}> -- <command> [args...]`);
  process.exit(EXIT.usage);
}
const launcher = findLauncher(name);
if (!launcher) {
  console.error(`run-target: unknown target "${name}"${didYouMean(name, names)}; known: ${names.join(', ')}`);
  process.exit(EXIT.usage);
}

const log = (l: string): void => console.error(`run-target: ${l}`);
let target: RunningTarget;
try {
  target = await launcher.start(log);
} catch (e) {
  log(`cannot start ${name}: ${(e as Error).message}`);
  process.exit(EXIT.inconclusive);
}
log(
  `${target.broker.name} ${target.broker.version ?? ''} at ${redactUrl(target.url)}${target.wsUrl ? ` (ws: ${target.wsUrl})` : ''}`,
);
const env = targetEnv(target);
const child = spawn(command[0]!, command.slice(1), { stdio: 'inherit', env, shell: command.length === 1 });
let signalled = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    signalled = true;
    child.kill(sig);
  });
}
const code = await new Promise<number>((resolve) => {
  child.once('error', (e) => {
    log(`cannot run ${command[0]}: ${e.message}`);
    resolve(EXIT.usage);
  });
  child.once('exit', (c, s) => resolve(c ?? (s ? 128 + 15 : 1)));
});
log(`stopping ${name}${signalled ? ' (signalled)' : ''}`);
await target.stop();
process.exit(code);
