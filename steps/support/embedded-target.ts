import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { TargetError } from '../../src/client/index.ts';

/**
 * The embedded reference broker of a conformance run, started from a broker config file
 * (scenarios/embedded/default.yaml unless `embeddedConfig` / MQTT_EMBEDDED_CONFIG says
 * otherwise; "none" starts a bare broker with every capability and no users).
 *
 * Two things the broker config format cannot say are added here, and documented in the
 * config files:
 * - the test credentials: `<config>.credentials.yaml` next to the config holds the plain
 *   passwords of its users (test fixtures only), which the World then uses as the target's
 *   credential sets (username / password, username2 / password2);
 * - the ACL binds only the users its rules name. The broker's ACL is deny-by-default for every
 *   client, and a rule without `user` applies to every client, so the format cannot say
 *   "anonymous clients and the first user may do everything, the second user only open/";
 *   clients whose user name no rule names (anonymous ones included) are therefore allowed
 *   everything, and named users get exactly their rules.
 */
export interface EmbeddedTarget {
  /** The first TCP listener's URL. */
  url: string;
  /** A WebSocket listener's URL, when the config opens one. */
  wsUrl?: string;
  /** The config file used, for reports ("none" for a bare broker). */
  config: string;
  credentials: Credentials;
  close(): Promise<void>;
}

const CredentialsFile = z
  .object({
    username: z.string().optional(),
    password: z.string().optional(),
    username2: z.string().optional(),
    password2: z.string().optional(),
  })
  .strict();
export type Credentials = z.infer<typeof CredentialsFile>;

export const DEFAULT_EMBEDDED_CONFIG = 'scenarios/embedded/default.yaml';

/** `<dir>/<name>.credentials.yaml` for `<dir>/<name>.yaml`. */
export const credentialsPathOf = (configPath: string): string =>
  configPath.replace(/\.ya?ml$/i, '') + '.credentials.yaml';

/** Reads the credentials file of a config; none when it does not exist; throws naming the file when malformed. */
export function loadCredentials(configPath: string): Credentials {
  const path = credentialsPathOf(configPath);
  if (!existsSync(path)) return {};
  let data: unknown;
  try {
    data = parseYaml(readFileSync(path, 'utf8')) ?? {};
  } catch (e) {
    throw new TargetError(`${path}: not valid YAML: ${(e as Error).message}`);
  }
  const r = CredentialsFile.safeParse(data);
  if (!r.success)
    throw new TargetError(
      `${path}: ${r.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`,
    );
  return r.data;
}

interface AclRuleLike {
  user?: string;
}
interface ClientLike {
  username?: string;
}
interface AuthorizerLike<C extends ClientLike> {
  authorize(client: C, action: 'read' | 'write', topic: string): boolean;
}

/** Applies `acl` only to users some rule names; every other client (anonymous too) is allowed. */
export function namedUsersOnly<C extends ClientLike>(
  rules: readonly AclRuleLike[],
  acl: AuthorizerLike<C>,
): AuthorizerLike<C> {
  const named = new Set(rules.map((r) => r.user).filter((u): u is string => u !== undefined));
  return {
    authorize: (client, action, topic) =>
      client.username === undefined || !named.has(client.username) || acl.authorize(client, action, topic),
  };
}

export async function startEmbedded(configPath: string): Promise<EmbeddedTarget> {
  // The broker is imported lazily so that runs against other targets never load it.
  let mod: typeof import('../../src/broker/index.ts');
  let cfgMod: typeof import('../../src/broker/config/index.ts');
  let authMod: typeof import('../../src/broker/auth/index.ts');
  try {
    [mod, cfgMod, authMod] = await Promise.all([
      import('../../src/broker/index.ts'),
      import('../../src/broker/config/index.ts'),
      import('../../src/broker/auth/index.ts'),
    ]);
  } catch (e) {
    throw new TargetError(
      `cannot load the embedded reference broker (src/broker): ${(e as Error).message}; set MQTT_BROKER_URL to test another broker`,
    );
  }
  if (configPath === 'none') {
    const b = await mod.startBroker({ host: '127.0.0.1', port: 0 });
    return { url: b.url, config: 'none', credentials: {}, close: () => b.close() };
  }
  if (!existsSync(configPath))
    throw new TargetError(
      `embedded broker config ${configPath} does not exist (embeddedConfig / MQTT_EMBEDDED_CONFIG; "none" starts a bare broker)`,
    );
  let cfg: ReturnType<typeof cfgMod.loadConfigFile>;
  try {
    cfg = cfgMod.loadConfigFile(configPath);
  } catch (e) {
    throw new TargetError(`embedded broker config: ${(e as Error).message}`);
  }
  const credentials = loadCredentials(configPath);
  const authorizer = cfg.acl ? namedUsersOnly(cfg.acl, authMod.createAclAuthorizer(cfg.acl)) : undefined;
  // Listeners of the file are used with their ports; a port the file leaves out is a free one.
  const b = await mod.startBroker({ host: '127.0.0.1', config: cfg, ...(authorizer ? { authorizer } : {}) });
  const url = b.urls.find((u) => u.startsWith('mqtt://'));
  if (!url) {
    await b.close();
    throw new TargetError(`embedded broker config ${configPath} opens no mqtt (TCP) listener; the suite needs one`);
  }
  return {
    url,
    wsUrl: b.urls.find((u) => u.startsWith('ws://')),
    config: configPath,
    credentials,
    close: () => b.close(),
  };
}
