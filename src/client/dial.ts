import { readFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { dial as transportDial, WebSocketDuplex } from '../transport/index.ts';
import { TargetError, type ByteStream, type DialOptions } from './byte-stream.ts';

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
  mqtt: 'mqtt',
  tcp: 'mqtt',
  mqtts: 'mqtts',
  tls: 'mqtts',
  ssl: 'mqtts',
  ws: 'ws',
  wss: 'wss',
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
  const path =
    scheme === 'ws' || scheme === 'wss' ? (u.pathname && u.pathname !== '/' ? u.pathname : '/mqtt') + u.search : '';
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

/**
 * Opens a byte stream to the broker named by the URL, through src/transport (the one place that
 * dials TCP, TLS and WebSocket). Failures are TargetErrors that say what could not be reached.
 */
export async function dial(opts: DialOptions): Promise<ByteStream> {
  const a = parseBrokerUrl(opts.url);
  const secure = a.scheme === 'mqtts' || a.scheme === 'wss';
  const ws = a.scheme === 'ws' || a.scheme === 'wss';
  const hostPart = a.host.includes(':') ? `[${a.host}]` : a.host;
  const where = ws ? a.display : `${hostPart}:${a.port}`;
  const tls = secure ? { ca: loadCa(opts.caFile), rejectUnauthorized: !opts.insecure } : undefined;
  let stream: Duplex;
  try {
    ({ stream } = await transportDial(ws ? a.display : `${a.scheme}://${hostPart}:${a.port}`, {
      timeoutMs: opts.connectTimeoutMs,
      ...(tls ? { tls } : {}),
    }));
  } catch (e) {
    const m = (e as Error).message;
    const what =
      a.scheme === 'mqtt' ? 'cannot reach' : a.scheme === 'mqtts' ? 'TLS connection to' : 'WebSocket connection to';
    throw new TargetError(
      /timed out/.test(m)
        ? `${a.scheme === 'mqtt' ? 'TCP' : a.scheme.toUpperCase()} connect to ${where} timed out after ${opts.connectTimeoutMs} ms`
        : `${what} ${where}${a.scheme === 'mqtt' ? '' : ' failed'}: ${m}`,
    );
  }
  if (stream instanceof WebSocketDuplex && stream.ws.protocol !== 'mqtt') {
    stream.destroy();
    throw new TargetError(
      `WebSocket server at ${a.display} did not select subprotocol "mqtt" (got "${stream.ws.protocol}")`,
    );
  }
  return duplexStream(stream, `${ws ? a.scheme : a.scheme === 'mqtt' ? 'tcp' : 'tls'} ${where}`);
}

/** Reads the CA file of a TLS target; a missing file is a clear TargetError. */
function loadCa(caFile: string | undefined): Buffer | undefined {
  if (!caFile) return undefined;
  try {
    return readFileSync(caFile);
  } catch (e) {
    throw new TargetError(`cannot read CA file ${caFile}: ${(e as Error).message}`);
  }
}

/** Wires an open transport stream (socket or WebSocket) to the ByteStream shape the TestClient uses. */
function duplexStream(stream: Duplex, description: string): ByteStream {
  let closeCb: ((e?: Error) => void) | undefined;
  let closed = false;
  let lastError: Error | undefined;
  const pending: Buffer[] = [];
  let dataCb: ((b: Buffer) => void) | undefined;
  stream.on('data', (b: Buffer) => {
    if (dataCb) dataCb(b);
    else pending.push(b);
  });
  stream.on('error', (e) => {
    lastError = e;
  });
  stream.on('close', () => {
    closed = true;
    closeCb?.(lastError);
  });
  const wsd = stream instanceof WebSocketDuplex ? stream : undefined;
  return {
    description,
    write: (b) => {
      if (!stream.destroyed && stream.writable) stream.write(b);
    },
    ...(wsd
      ? {
          writeText: (t: string) => {
            if (wsd.ws.readyState === wsd.ws.OPEN) wsd.ws.send(t, { binary: false });
          },
        }
      : {}),
    end: () => {
      if (!stream.destroyed) stream.end();
    },
    destroy: () => {
      stream.destroy();
    },
    onData: (cb) => {
      dataCb = cb;
      for (const b of pending.splice(0)) cb(b);
    },
    onClose: (cb) => {
      closeCb = cb;
      if (closed) cb(lastError);
    },
  };
}
