import { TargetError, type ByteStream, type DialOptions } from './byte-stream.ts';
import { dialTcp } from './dial-tcp.ts';
import { dialTls } from './dial-tls.ts';
import { dialWs } from './dial-ws.ts';

export type Scheme = 'mqtt' | 'mqtts' | 'ws' | 'wss';

/** A broker address taken apart; credentials in the URL are kept separately. */
export interface BrokerAddress {
  scheme: Scheme;
  host: string;
  port: number;
  /** WebSocket path, default "/mqtt". */
  path: string;
  username?: string;
  password?: string;
  /** The URL without credentials, safe to print. */
  display: string;
}

const DEFAULT_PORTS: Record<Scheme, number> = { mqtt: 1883, mqtts: 8883, ws: 80, wss: 443 };
const ALIASES: Record<string, Scheme> = {
  mqtt: 'mqtt', tcp: 'mqtt', mqtts: 'mqtts', tls: 'mqtts', ssl: 'mqtts', ws: 'ws', wss: 'wss',
};

export function parseBrokerUrl(url: string): BrokerAddress {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new TargetError(`not a broker URL: "${url}" (expected mqtt://host:port, mqtts://, ws://, wss://)`);
  }
  const scheme = ALIASES[u.protocol.replace(/:$/, '')];
  if (!scheme) {
    throw new TargetError(`unsupported scheme "${u.protocol}" in "${url}" (use mqtt, mqtts, ws or wss)`);
  }
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (!host) throw new TargetError(`broker URL "${url}" has no host`);
  const port = u.port ? Number(u.port) : DEFAULT_PORTS[scheme];
  const path = scheme === 'ws' || scheme === 'wss' ? (u.pathname && u.pathname !== '/' ? u.pathname : '/mqtt') + u.search : '';
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return {
    scheme,
    host,
    port,
    path,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    display: `${scheme}://${hostPart}:${port}${path}`,
  };
}

/** Opens a byte stream to the broker named by the URL. */
export async function dial(opts: DialOptions): Promise<ByteStream> {
  const a = parseBrokerUrl(opts.url);
  const trust = { caFile: opts.caFile, insecure: opts.insecure };
  switch (a.scheme) {
    case 'mqtt':
      return dialTcp(a.host, a.port, opts.connectTimeoutMs);
    case 'mqtts':
      return dialTls(a.host, a.port, opts.connectTimeoutMs, trust);
    case 'ws':
    case 'wss':
      return dialWs(a.display, opts.connectTimeoutMs, trust);
  }
}
