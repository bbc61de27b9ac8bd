import {
  discoverCapabilities, displayTarget, resolveTarget, TargetError,
  type Capabilities, type TargetConfig,
} from '../../src/client/index.ts';

/**
 * What one cucumber worker knows about the target for the whole run: the resolved
 * configuration, the URL to dial, the discovered capabilities and how to stop whatever
 * it started (embedded broker or container).
 */
export interface RunState {
  config: TargetConfig;
  /** URL the clients dial (credentials removed; they go in CONNECT). */
  url: string;
  /** What reports call the target. */
  display: string;
  capabilities?: Capabilities;
  /** A random tag unique to this worker, used in client ids and topics. */
  runTag: string;
  scenarioSeq: number;
  capabilitiesAttached: boolean;
  stop: () => Promise<void>;
}

let state: RunState | undefined;

export function runState(): RunState {
  if (!state) throw new TargetError('the conformance run was not set up (BeforeAll hook did not run or failed)');
  return state;
}

const randomTag = (): string => Math.random().toString(36).slice(2, 6).padEnd(4, '0');

/** Starts the target if we own it, probes it, and keeps the result for the worker. */
export async function setUpRun(params: Record<string, unknown>): Promise<RunState> {
  const config = resolveTarget(params);
  let url: string;
  let stop = async (): Promise<void> => {};
  let display = displayTarget(config.broker);
  if (config.broker === 'embedded') {
    const b = await startEmbedded();
    url = b.url;
    stop = b.close;
    display = `embedded reference broker (${b.url})`;
  } else if (config.broker.startsWith('container:')) {
    const { startContainer } = await import('./container.ts');
    const c = await startContainer(config.broker.slice('container:'.length));
    url = c.url;
    stop = c.stop;
    display = `${config.broker} (${c.url})`;
  } else {
    url = displayTarget(config.broker);
  }
  const runTag = randomTag();
  state = { config, url, display, runTag, scenarioSeq: 0, capabilitiesAttached: false, stop };
  if (config.discover) {
    state.capabilities = await discoverCapabilities({
      url,
      connectTimeoutMs: 3000 * config.timeScale,
      caFile: config.caFile,
      insecure: config.insecure,
      topicPrefix: `${config.topicPrefix}mh/${runTag}/`,
      clientIdPrefix: `${config.clientIdPrefix}mh${runTag}`,
      username: config.username,
      password: config.password,
      timeoutMs: 1500 * config.timeScale,
    });
    state.capabilities.target = display;
  }
  return state;
}

export async function tearDownRun(): Promise<void> {
  const s = state;
  state = undefined;
  await s?.stop();
}

async function startEmbedded(): Promise<{ url: string; close: () => Promise<void> }> {
  // The broker is imported lazily so that runs against other targets never load it.
  const spec = '../../src/broker/index.ts';
  let mod: { startBroker?: (o: Record<string, unknown>) => Promise<{ url: string; close(): Promise<void> }> };
  try {
    mod = await import(spec);
  } catch (e) {
    throw new TargetError(`cannot load the embedded reference broker (src/broker): ${(e as Error).message}; set MQTT_BROKER_URL to test another broker`);
  }
  if (typeof mod.startBroker !== 'function') throw new TargetError('src/broker/index.ts does not export startBroker');
  const b = await mod.startBroker({ host: '127.0.0.1', port: 0 });
  return { url: b.url, close: () => b.close() };
}
