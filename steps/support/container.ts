import { TargetError } from '../../src/client/index.ts';

/**
 * Starts a broker image with testcontainers for `MQTT_BROKER_URL=container:<image>`.
 * Mosquitto images get a config that listens on 1883 and allows anonymous clients.
 * Without a container engine this stops the run with a clear message: never a pass.
 */
export async function startContainer(image: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const tc = await import('testcontainers');
  try {
    await tc.getContainerRuntimeClient();
  } catch (e) {
    throw new TargetError(
      `container target "${image}" needs a Docker-compatible container engine, and none is reachable here ` +
        `(${(e as Error).message.split('\n')[0]}). Start Docker or point MQTT_BROKER_URL at a running broker.`,
    );
  }
  let c = new tc.GenericContainer(image).withExposedPorts(1883);
  if (/mosquitto/i.test(image)) {
    c = c.withCopyContentToContainer([
      { content: 'listener 1883\nallow_anonymous true\n', target: '/mosquitto/config/mosquitto.conf' },
    ]);
  }
  const started = await c.withWaitStrategy(tc.Wait.forListeningPorts()).start();
  const url = `mqtt://${started.getHost()}:${started.getMappedPort(1883)}`;
  return {
    url,
    stop: async () => {
      await started.stop();
    },
  };
}
