import { readFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import {
  listenTcp,
  listenTls,
  listenWs,
  type Listener,
  type StreamMeta,
  type TlsMaterial,
} from '../transport/index.ts';
import { Broker } from './broker.ts';
import type { BrokerOptions, Capabilities } from './options.ts';
import { consoleLogger, type Logger, type LogLevel } from './logger.ts';
import { MemoryPersistence, type Persistence } from './persistence.ts';
import { FilePersistence } from './file-persistence.ts';
import type { BrokerConfig, ListenerConfig } from './config/index.ts';
import { createAclAuthorizer, createScramMechanism, createUserAuthenticator, UserStore } from './auth/index.ts';

/**
 * Options for startBroker. Listener flags (port, tlsPort, wsPort, wssPort) win over the config
 * file's `listeners`; with neither, one TCP listener on host:port (127.0.0.1:0) is opened.
 * Every other explicit option wins over the matching config key.
 */
export interface StartBrokerOptions extends Omit<BrokerOptions, 'persistence'> {
  host?: string;
  port?: number;
  tlsPort?: number;
  wsPort?: number;
  wssPort?: number;
  /** WebSocket path for wsPort / wssPort; default /mqtt. */
  wsPath?: string;
  /** TLS certificate, key and CA: a file path, or PEM text / Buffer. */
  cert?: string | Buffer;
  key?: string | Buffer;
  ca?: string | Buffer;
  /** Require TLS clients to present a certificate signed by `ca`. */
  requireClientCert?: boolean;
  /** A validated config object, or the path of a YAML config file. */
  config?: BrokerConfig | string;
  persistence?: 'memory' | `file:${string}` | Persistence;
  /** Used when no logger is given; default "error" (the CLI passes "info"). */
  logLevel?: LogLevel;
}

export interface RunningBroker {
  /** The first listener's URL (TCP when there is one). */
  url: string;
  /** Every listener's URL with its real port: mqtt://, mqtts://, ws://.../mqtt, wss://.../mqtt. */
  urls: string[];
  /** The first listener's real port. */
  port: number;
  listeners: Listener[];
  broker: Broker;
  /** Closes the broker (sessions, persistence) and then every listener. Safe to call twice. */
  close(): Promise<void>;
}

function pem(v: string | Buffer | undefined, what: string): Buffer | undefined {
  if (v === undefined || Buffer.isBuffer(v)) return v;
  if (v.includes('-----BEGIN')) return Buffer.from(v);
  try {
    return readFileSync(v);
  } catch (e) {
    throw new Error(`startBroker: cannot read TLS ${what} file ${v}: ${(e as Error).message}`, { cause: e });
  }
}

function tlsFrom(
  src: { cert?: string | Buffer; key?: string | Buffer; ca?: string | Buffer; requireClientCert?: boolean },
  where: string,
): TlsMaterial {
  const cert = pem(src.cert, 'certificate');
  const key = pem(src.key, 'key');
  if (cert === undefined || key === undefined) throw new Error(`startBroker: ${where} needs both cert and key`);
  const ca = pem(src.ca, 'CA');
  if (src.requireClientCert && ca === undefined) throw new Error(`startBroker: ${where}: requireClientCert needs ca`);
  return { cert, key, ...(ca ? { ca } : {}), requestCert: src.requireClientCert ?? false };
}

function listenerPlan(o: StartBrokerOptions, cfg: BrokerConfig): ListenerConfig[] {
  const host = o.host ?? '127.0.0.1';
  const explicit: ListenerConfig[] = [];
  if (o.port !== undefined) explicit.push({ protocol: 'mqtt', host, port: o.port });
  if (o.tlsPort !== undefined) explicit.push({ protocol: 'mqtts', host, port: o.tlsPort });
  if (o.wsPort !== undefined) explicit.push({ protocol: 'ws', host, port: o.wsPort, path: o.wsPath });
  if (o.wssPort !== undefined) explicit.push({ protocol: 'wss', host, port: o.wssPort, path: o.wsPath });
  if (explicit.length > 0) return explicit;
  if (cfg.listeners !== undefined && cfg.listeners.length > 0)
    return cfg.listeners.map((l) => ({ ...l, host: l.host ?? host }));
  return [{ protocol: 'mqtt', host, port: 0 }];
}

function makePersistence(
  p: StartBrokerOptions['persistence'] | string | undefined,
  logger: Logger,
): Persistence | undefined {
  if (p === undefined || typeof p !== 'string') return p;
  if (p === 'memory') return new MemoryPersistence();
  if (p.startsWith('file:') && p.length > 5) {
    // FilePersistence.load() creates the directory (and fsyncs it into its parent) and locks it.
    return new FilePersistence(p.slice(5), { onWarning: (msg, fields) => logger.warn(msg, fields) });
  }
  throw new Error(`startBroker: persistence must be "memory" or "file:DIR", got "${p}"`);
}

/** Builds the core's options from explicit options and a config (explicit wins). */
export function brokerOptionsFrom(o: StartBrokerOptions, cfg: BrokerConfig): BrokerOptions {
  const store = new UserStore(cfg.users ?? []);
  const allowAnonymous = o.allowAnonymous ?? cfg.allowAnonymous ?? true;
  const usersMatter = store.size > 0 || !allowAnonymous;
  const scramUsers = (cfg.users ?? []).some((u) => u.scram !== undefined);
  const scramOn = cfg.scram?.enabled ?? scramUsers;
  const capabilities: Capabilities = { ...(cfg.capabilities as Capabilities | undefined), ...o.capabilities };
  const {
    host: _h,
    port: _p,
    tlsPort: _t,
    wsPort: _w,
    wssPort: _ws,
    wsPath: _wp,
    cert: _c,
    key: _k,
    ca: _ca,
    requireClientCert: _r,
    config: _cfg,
    persistence,
    logLevel,
    ...core
  } = o;
  const logger = o.logger ?? consoleLogger(logLevel ?? cfg.logLevel ?? 'error');
  return {
    ...core,
    capabilities,
    limits: { ...cfg.limits, ...o.limits },
    allowAnonymous,
    authenticator: o.authenticator ?? (usersMatter ? createUserAuthenticator(store, { allowAnonymous }) : undefined),
    authorizer: o.authorizer ?? (cfg.acl !== undefined ? createAclAuthorizer(cfg.acl) : undefined),
    authMechanisms:
      o.authMechanisms ?? (scramOn ? [createScramMechanism((u) => store.scramCredentials(u))] : undefined),
    persistence: makePersistence(persistence ?? cfg.persistence, logger),
    sysIntervalMs: o.sysIntervalMs ?? cfg.sysIntervalMs,
    variant: { ...cfg.variant, ...o.variant },
    logger,
  };
}

/** The validated config; the config module (zod, yaml: about 20 MB RSS) is loaded only when there is one. */
async function configOf(c: BrokerConfig | string | undefined): Promise<BrokerConfig> {
  if (c === undefined) return {};
  const { loadConfigFile, validateConfig } = await import('./config/index.ts');
  return typeof c === 'string' ? loadConfigFile(c) : validateConfig(c, 'config');
}

/** Starts the reference broker with its listeners; resolves once every listener is bound. */
export async function startBroker(options: StartBrokerOptions = {}): Promise<RunningBroker> {
  const cfg = await configOf(options.config);
  // Everything that can fail on bad input (TLS files, listener plan) is checked before the broker exists.
  const plan = listenerPlan(options, cfg).map((l, n) => {
    const where = `listener ${n} (${l.protocol})`;
    const tlsSrc = {
      cert: l.cert ?? options.cert,
      key: l.key ?? options.key,
      ca: l.ca ?? options.ca,
      requireClientCert: l.requireClientCert ?? options.requireClientCert,
    };
    const tls = l.protocol === 'mqtts' || l.protocol === 'wss' ? tlsFrom(tlsSrc, where) : undefined;
    return { ...l, tls };
  });
  const brokerOptions = brokerOptionsFrom(options, cfg);
  const logger = brokerOptions.logger!;
  const broker = new Broker(brokerOptions);
  try {
    await broker.ready;
  } catch (e) {
    await broker.close().catch(() => {});
    throw new Error(`startBroker: loading persisted state failed: ${(e as Error).message}`, { cause: e });
  }
  const onConnection = (stream: Duplex, meta: StreamMeta) =>
    broker.handle(stream, { transport: meta.transport, remoteAddress: meta.remoteAddress });
  const onError = (what: string, err: Error, remoteAddress?: string) => {
    if (what.endsWith('listener error')) logger.error(what, { error: err.message });
    else logger.info(what, { error: err.message, remoteAddress });
  };
  const listeners: Listener[] = [];
  try {
    for (const l of plan) {
      const base = { host: l.host ?? options.host ?? '127.0.0.1', port: l.port ?? 0, onConnection, onError };
      const paths = l.path ? [l.path] : undefined;
      if (l.protocol === 'mqtt') listeners.push(await listenTcp(base));
      else if (l.protocol === 'mqtts') listeners.push(await listenTls({ ...base, tls: l.tls! }));
      else listeners.push(await listenWs({ ...base, paths, tls: l.tls }));
    }
  } catch (e) {
    await Promise.all(listeners.map((x) => x.close()));
    await broker.close();
    throw e;
  }
  let closing: Promise<void> | undefined;
  return {
    url: listeners[0].url,
    urls: listeners.map((l) => l.url),
    port: listeners[0].port,
    listeners,
    broker,
    close: () =>
      (closing ??= (async () => {
        try {
          await broker.close();
        } finally {
          await Promise.all(listeners.map((l) => l.close()));
        }
      })()),
  };
}
