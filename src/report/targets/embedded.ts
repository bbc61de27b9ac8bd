import { readFileSync } from 'node:fs';
import type { RunningTarget, TargetLauncher } from './types.ts';

/**
 * The embedded reference broker: nothing to start here. With MQTT_BROKER_URL=embedded every
 * cucumber worker starts its own broker from scenarios/embedded/default.yaml (every capability,
 * test users, a WebSocket listener), which is how the suite runs by default.
 */
export const embedded: TargetLauncher = {
  name: 'embedded',
  description: 'the embedded reference broker (started by each cucumber worker)',
  async start(): Promise<RunningTarget> {
    let version: string | undefined;
    try {
      version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version?: string }).version;
    } catch {
      /* run from elsewhere: no version */
    }
    return {
      name: 'embedded',
      url: 'embedded',
      broker: { name: 'mqtt-harness reference broker', version },
      stop: async () => {},
    };
  },
};
