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
