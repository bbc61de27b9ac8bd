import { TargetUnavailable, type RunningTarget, type TargetLauncher } from './types.ts';

/**
 * A broker image run through testcontainers (`container:<image>`, e.g. eclipse-mosquitto:2,
 * hivemq/hivemq-ce, emqx/emqx): the suite starts the container itself
 * (MQTT_BROKER_URL=container:IMAGE). Here we only check that a container engine answers, and
 * say so in one line when there is none.
 */
export function containerLauncher(image: string): TargetLauncher {
  return {
    name: `container:${image}`,
    description: `the image ${image} through testcontainers (needs a Docker engine)`,
    async start(): Promise<RunningTarget> {
      const tc = await import('testcontainers');
      try {
        await Promise.race([
          tc.getContainerRuntimeClient(),
          new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 20 s')), 20_000).unref()),
        ]);
      } catch (e) {
        throw new TargetUnavailable(
          `no Docker engine reachable here (${(e as Error).message.split('\n')[0]}); start Docker or set DOCKER_HOST`,
        );
      }
      const [name, version] = image.split(':');
      return {
        name: `container:${image}`,
        url: `container:${image}`,
        broker: { name: name!, version: version ?? 'latest' },
        env: { MQTT_TIME_SCALE: process.env.MQTT_TIME_SCALE ?? '2' },
        stop: async () => {},
      };
    },
  };
}
