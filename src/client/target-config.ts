import { parseBrokerUrl } from './dial.ts';
import { TargetError } from './byte-stream.ts';

/**
 * Where the conformance suite points and how it behaves there. Built from cucumber world
 * parameters and environment variables (the environment wins), see `resolveTarget`.
 */
export interface TargetConfig {
  /** 'embedded' (start our reference broker), 'container:<image>' or a broker URL. */
  broker: string;
  caFile?: string;
  insecure: boolean;
  /** Primary credentials (also taken from user:pass@ in the URL). */
  username?: string;
  password?: string;
  /** A second identity, for authorization scenarios. */
  username2?: string;
  password2?: string;
  /** Put in front of every client id (scenario ids are unique below it). */
  clientIdPrefix: string;
  /** Put in front of every topic (scenario topics are unique below it). */
  topicPrefix: string;
  /** Multiplies every timeout; 1 by default, e.g. 3 for a slow broker or link. */
  timeScale: number;
  /** Capability probe on start (default on). */
  discover: boolean;
  /**
   * Broker config file the embedded broker starts from (default
   * scenarios/embedded/default.yaml; "none": a bare broker). Only used when broker is 'embedded'.
   */
  embeddedConfig?: string;
  /**
   * A WebSocket endpoint (ws:// or wss://) of the same broker, for the scenarios that need one
   * while the run itself uses TCP (the embedded broker supplies its own when its config opens one).
   */
  wsUrl?: string;
}

/** The world-parameter names and the environment variable each one can also come from. */
export const TARGET_ENV: Record<keyof TargetConfig, string> = {
  broker: 'MQTT_BROKER_URL',
  caFile: 'MQTT_CA_FILE',
  insecure: 'MQTT_INSECURE',
  username: 'MQTT_USERNAME',
  password: 'MQTT_PASSWORD',
  username2: 'MQTT_USERNAME2',
  password2: 'MQTT_PASSWORD2',
  clientIdPrefix: 'MQTT_CLIENT_ID_PREFIX',
  topicPrefix: 'MQTT_TOPIC_PREFIX',
  timeScale: 'MQTT_TIME_SCALE',
  discover: 'MQTT_DISCOVER',
  embeddedConfig: 'MQTT_EMBEDDED_CONFIG',
  wsUrl: 'MQTT_WS_URL',
};

const truthy = (v: unknown): boolean => v === true || v === 1 || (typeof v === 'string' && /^(1|true|yes|on)$/i.test(v));

/** Merges world parameters and environment into a checked TargetConfig; bad values throw TargetError. */
export function resolveTarget(params: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): TargetConfig {
  const known = new Set(Object.keys(TARGET_ENV));
  for (const k of Object.keys(params)) {
    if (!known.has(k)) throw new TargetError(`unknown world parameter "${k}" (known: ${[...known].join(', ')})`);
  }
  const get = (k: keyof TargetConfig): unknown => {
    const e = env[TARGET_ENV[k]];
    return e !== undefined && e !== '' ? e : params[k];
  };
  const str = (k: keyof TargetConfig): string | undefined => {
    const v = get(k);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw new TargetError(`${k} must be a string, got ${JSON.stringify(v)}`);
    return v;
  };
  const broker = str('broker') ?? 'embedded';
  let username = str('username');
  let password = str('password');
  if (broker !== 'embedded' && !broker.startsWith('container:')) {
    const a = parseBrokerUrl(broker);
    username ??= a.username;
    password ??= a.password;
  } else if (broker.startsWith('container:') && broker.length <= 'container:'.length) {
    throw new TargetError('container target needs an image, e.g. container:eclipse-mosquitto:2');
  }
  const scaleRaw = get('timeScale');
  const timeScale = scaleRaw === undefined ? 1 : Number(scaleRaw);
  if (!Number.isFinite(timeScale) || timeScale <= 0 || timeScale > 100) {
    throw new TargetError(`timeScale must be a number in (0, 100], got ${JSON.stringify(scaleRaw)}`);
  }
  const clientIdPrefix = str('clientIdPrefix') ?? '';
  if (!/^[0-9A-Za-z]*$/.test(clientIdPrefix)) {
    throw new TargetError(`clientIdPrefix "${clientIdPrefix}" must be letters and digits only (3.1.1 servers need only accept those)`);
  }
  const discoverRaw = get('discover');
  const wsUrl = str('wsUrl');
  if (wsUrl !== undefined) {
    if (!/^wss?:\/\//i.test(wsUrl)) throw new TargetError(`wsUrl must be a ws:// or wss:// URL, got "${wsUrl}"`);
    parseBrokerUrl(wsUrl);
  }
  return {
    broker,
    caFile: str('caFile'),
    insecure: truthy(get('insecure')),
    username,
    password,
    username2: str('username2'),
    password2: str('password2'),
    clientIdPrefix,
    topicPrefix: str('topicPrefix') ?? '',
    timeScale,
    discover: discoverRaw === undefined ? true : truthy(discoverRaw),
    embeddedConfig: str('embeddedConfig'),
    wsUrl,
  };
}

/** Broker URL with credentials removed, for reports. */
export function displayTarget(urlOrKind: string): string {
  if (urlOrKind === 'embedded' || urlOrKind.startsWith('container:')) return urlOrKind;
  try {
    return parseBrokerUrl(urlOrKind).display;
  } catch {
    return urlOrKind;
  }
}
