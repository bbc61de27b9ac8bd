import { aedes } from './aedes.ts';
import { embedded } from './embedded.ts';
import { mosquitto } from './mosquitto.ts';
import { rabbitmq } from './rabbitmq.ts';
import type { TargetLauncher } from './types.ts';

export { aedes, embedded, mosquitto, rabbitmq };
export { TargetUnavailable, type RunningTarget, type TargetLauncher } from './types.ts';
export { freePort, waitForPort } from './process-util.ts';
export { containerLauncher } from './container.ts';

/** Every broker this machine can start without Docker, in matrix order. */
export const LAUNCHERS: readonly TargetLauncher[] = [embedded, mosquitto, aedes, rabbitmq];

export function findLauncher(name: string): TargetLauncher | undefined {
  return LAUNCHERS.find((l) => l.name === name);
}

/** The environment that points the suite at a started target and names it in compliance.json. */
export function targetEnv(
  t: import('./types.ts').RunningTarget,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, ...t.env, MQTT_BROKER_URL: t.url, MQTT_BROKER_NAME: t.broker.name };
  if (t.broker.version) env.MQTT_BROKER_VERSION = t.broker.version;
  else delete env.MQTT_BROKER_VERSION;
  if (t.wsUrl) env.MQTT_WS_URL = t.wsUrl;
  else delete env.MQTT_WS_URL;
  return env;
}
