import { parseBrokerUrl } from './dial.ts';
import { TargetError } from './byte-stream.ts';
import { didYouMean } from '../common/close-match.ts';
import { redactUrl } from '../common/redact.ts';

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

const truthy = (v: unknown): boolean =>
  v === true || v === 1 || (typeof v === 'string' && /^(1|true|yes|on)$/i.test(v));
const falsy = (v: unknown): boolean =>
  v === false || v === 0 || (typeof v === 'string' && /^(0|false|no|off)$/i.test(v));

/**
 * Merges world parameters and environment into a checked TargetConfig. Every bad value is
 * reported at once in one TargetError: the setting (world parameter and environment variable),
 * the value, and what would be accepted.
 */
export function resolveTarget(params: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): TargetConfig {
  const problems: string[] = [];
  const known = Object.keys(TARGET_ENV);
  for (const k of Object.keys(params)) {
    if (!known.includes(k))
      problems.push(`unknown world parameter "${k}"${didYouMean(k, known)} (known: ${known.join(', ')})`);
  }
  const name = (k: keyof TargetConfig): string => `${k} (${TARGET_ENV[k]})`;
  const get = (k: keyof TargetConfig): unknown => {
    const e = env[TARGET_ENV[k]];
    return e !== undefined && e !== '' ? e : params[k];
  };
  const str = (k: keyof TargetConfig): string | undefined => {
    const v = get(k);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      problems.push(`${name(k)} must be a string, got ${JSON.stringify(v)}`);
      return undefined;
    }
    return v;
  };
  const broker = str('broker') ?? 'embedded';
  let username = str('username');
  let password = str('password');
  if (broker.startsWith('container:')) {
    if (broker.length <= 'container:'.length)
      problems.push(`${name('broker')} "container:" needs an image, e.g. container:eclipse-mosquitto:2`);
  } else if (broker !== 'embedded') {
    try {
      const a = parseBrokerUrl(broker);
      username ??= a.username;
      password ??= a.password;
    } catch (e) {
      problems.push(
        `${name('broker')} = "${redactUrl(broker)}": ${(e as Error).message.replace(broker, redactUrl(broker))}; accepted: embedded, container:<image>, or a URL with scheme mqtt, mqtts, ws or wss`,
      );
    }
  }
  const scaleRaw = get('timeScale');
  const timeScale = scaleRaw === undefined ? 1 : Number(scaleRaw);
  if (!Number.isFinite(timeScale) || timeScale <= 0 || timeScale > 100) {
    problems.push(`${name('timeScale')} must be a number in (0, 100], got ${JSON.stringify(scaleRaw)}`);
  }
  const clientIdPrefix = str('clientIdPrefix') ?? '';
  if (!/^[0-9A-Za-z]*$/.test(clientIdPrefix)) {
    problems.push(
      `${name('clientIdPrefix')} "${clientIdPrefix}" must be letters and digits only (3.1.1 servers need only accept those)`,
    );
  }
  const discoverRaw = get('discover');
  const wsUrl = str('wsUrl');
  if (wsUrl !== undefined) {
    if (!/^wss?:\/\//i.test(wsUrl))
      problems.push(`${name('wsUrl')} must be a ws:// or wss:// URL, got "${redactUrl(wsUrl)}"`);
    else {
      try {
        parseBrokerUrl(wsUrl);
      } catch (e) {
        problems.push(`${name('wsUrl')}: ${(e as Error).message}`);
      }
    }
  }
  const insecureRaw = get('insecure');
  for (const [k, v] of [
    ['insecure', insecureRaw],
    ['discover', discoverRaw],
  ] as const) {
    if (v !== undefined && !truthy(v) && !falsy(v))
      problems.push(`${name(k)} must be true or false (1/0, yes/no), got ${JSON.stringify(v)}`);
  }
  if (problems.length > 0) {
    throw new TargetError(
      problems.length === 1
        ? `bad target setting: ${problems[0]}`
        : `bad target settings:\n  - ${problems.join('\n  - ')}`,
    );
  }
  return {
    broker,
    caFile: str('caFile'),
    insecure: truthy(insecureRaw),
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
    return redactUrl(urlOrKind);
  }
}
