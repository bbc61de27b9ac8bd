import {
  TestClient,
  discoverCapabilities,
  displayTarget,
  resolveTarget,
  TargetError,
  type Capabilities,
  type TargetConfig,
} from '../../src/client/index.ts';
import { registerSecrets } from '../../src/common/index.ts';
import { DEFAULT_EMBEDDED_CONFIG, startEmbedded } from './embedded-target.ts';

/**
 * What one cucumber worker knows about the target for the whole run: the resolved
 * configuration, the URL to dial, the discovered capabilities and how to stop whatever
 * it started (embedded broker or container).
 */
export interface RunState {
  config: TargetConfig;
  /** URL the clients dial (credentials removed; they go in CONNECT). */
  url: string;
  /** A WebSocket endpoint of the target: the run's URL when it is ws(s)://, else wsUrl or the embedded broker's. */
  wsUrl?: string;
  /** What reports call the target. */
  display: string;
  capabilities?: Capabilities;
  /** A random tag unique to this worker, used in client ids and topics. */
  runTag: string;
  scenarioSeq: number;
  capabilitiesAttached: boolean;
  /** Set when the target stopped answering: every later scenario of this worker is inconclusive. */
  down?: { after: string };
  /** The last scenario this worker finished ("features/x.feature:12 name"). */
  lastScenario?: string;
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
  registerSecrets([config.password, config.password2]);
  let url: string;
  let stop = async (): Promise<void> => {};
  let display = displayTarget(config.broker);
  let wsUrl = config.wsUrl;
  if (config.broker === 'embedded') {
    const b = await startEmbedded(config.embeddedConfig ?? DEFAULT_EMBEDDED_CONFIG);
    url = b.url;
    wsUrl ??= b.wsUrl;
    stop = b.close;
    display = `embedded reference broker (${b.url}, config ${b.config})`;
    // The test credentials of the config's users, unless the run names its own.
    const own = config.username !== undefined || config.password !== undefined;
    if (!own) Object.assign(config, { username: b.credentials.username, password: b.credentials.password });
    if (config.username2 === undefined && config.password2 === undefined) {
      Object.assign(config, { username2: b.credentials.username2, password2: b.credentials.password2 });
    }
  } else if (config.broker.startsWith('container:')) {
    const { startContainer } = await import('./container.ts');
    const c = await startContainer(config.broker.slice('container:'.length));
    url = c.url;
    stop = c.stop;
    display = `${config.broker} (${c.url})`;
  } else {
    url = displayTarget(config.broker);
    if (/^wss?:/i.test(url)) wsUrl ??= url;
  }
  const runTag = randomTag();
  state = { config, url, wsUrl, display, runTag, scenarioSeq: 0, capabilitiesAttached: false, stop };
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

/**
 * Whether the target still answers: a fresh connection gets a CONNACK (of any reason code)
 * at a version it accepted at discovery, within 3 s (scaled).
 */
export async function targetAlive(s: RunState): Promise<boolean> {
  const ms = 3000 * s.config.timeScale;
  const level = s.capabilities?.['3.1.1'].supported === false && s.capabilities?.['5.0'].supported ? 5 : 4;
  let c: TestClient | undefined;
  try {
    c = await TestClient.open({
      url: s.url,
      connectTimeoutMs: ms,
      caFile: s.config.caFile,
      insecure: s.config.insecure,
      name: 'alive',
    });
    await c.connect(
      {
        level,
        clientId: `${s.config.clientIdPrefix}mh${s.runTag}alive`,
        username: s.config.username,
        password: s.config.password,
      },
      ms,
    );
    c.send({ type: 'disconnect' });
    return true;
  } catch {
    return false;
  } finally {
    await c?.close(500).catch(() => undefined);
  }
}

export async function tearDownRun(): Promise<void> {
  const s = state;
  state = undefined;
  await s?.stop();
}
