import { BlockList, connect as netConnect, isIP, type Socket } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type ConnectionOptions, type PeerCertificate } from 'node:tls';
import type { Duplex } from 'node:stream';
import { withTimeout } from '../common/index.ts';
import type { TransportKind } from './types.ts';
import { tcpAddress } from './url.ts';
import { WebSocketDuplex } from './ws-stream.ts';

export interface DialOptions {
  /** TLS options for mqtts:// and wss:// (ca, cert, key, rejectUnauthorized, servername). */
  tls?: ConnectionOptions;
  /** Default 10 000 ms. */
  timeoutMs?: number;
  /** WebSocket subprotocol; default "mqtt". */
  subprotocol?: string;
}

/**
 * Certificate check for a server dialled by IP address: the address must be among the
 * certificate's IP SANs, compared as addresses ("::1" equals "0:0:0:0:0:0:0:1"). Node 22's
 * tls.checkServerIdentity rejects every IPv6 literal (wss://[::1] with an IP Address:::1 SAN
 * failed), so IPs are checked here and names still by Node.
 */
export function checkServerAddress(host: string, cert: PeerCertificate): Error | undefined {
  const family = isIP(host);
  if (family === 0) return checkServerIdentity(host, cert);
  const sans = (cert.subjectaltname ?? '')
    .split(', ')
    .filter((n) => n.startsWith('IP Address:'))
    .map((n) => n.slice(11));
  const list = new BlockList();
  for (const ip of sans) {
    const f = isIP(ip);
    if (f !== 0) list.addAddress(ip, f === 6 ? 'ipv6' : 'ipv4');
  }
  if (list.check(host, family === 6 ? 'ipv6' : 'ipv4')) return undefined;
  return Object.assign(
    new Error(
      `Hostname/IP does not match certificate's altnames: IP: ${host} is not in the cert's list: ${sans.join(', ')}`,
    ),
    {
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
      reason: `IP: ${host} is not in the cert's list`,
      host,
      cert,
    },
  );
}

/** TLS options for a host: SNI only for a name (RFC 6066: never an IP), and the address check for an IP. */
function tlsFor(host: string, tls: ConnectionOptions | undefined): ConnectionOptions {
  const ip = isIP(host) !== 0;
  return { ...(ip ? { servername: '', checkServerIdentity: checkServerAddress } : { servername: host }), ...tls };
}

const kinds: Record<string, TransportKind> = {
  'mqtt:': 'tcp',
  'tcp:': 'tcp',
  'mqtts:': 'tls',
  'ssl:': 'tls',
  'ws:': 'ws',
  'wss:': 'wss',
};

/** Opens a byte stream to an MQTT server URL (mqtt://, mqtts://, ws://, wss://); resolves once connected. */
export async function dial(url: string, opts: DialOptions = {}): Promise<{ stream: Duplex; transport: TransportKind }> {
  const u = new URL(url);
  const transport = kinds[u.protocol];
  if (transport === undefined)
    throw new Error(`dial: unsupported URL scheme "${u.protocol}" in ${url} (use mqtt, mqtts, ws or wss)`);
  const { host, port } = tcpAddress(u);
  const timeout = opts.timeoutMs ?? 10_000;
  if (transport === 'tcp' || transport === 'tls') {
    const socket: Socket =
      transport === 'tcp'
        ? netConnect({ host, port, noDelay: true })
        : tlsConnect({ host, port, ...tlsFor(host, opts.tls) });
    const ready = transport === 'tcp' ? 'connect' : 'secureConnect';
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        socket.once(ready, () => resolve());
        socket.once('error', reject);
      }),
      timeout,
      `connection to ${url}`,
    ).catch((e) => {
      socket.destroy();
      throw e;
    });
    socket.setNoDelay(true);
    return { stream: socket, transport };
  }
  const { WebSocket } = await import('ws'); // loaded on first use (see ws.ts)
  const ws = new WebSocket(url, [opts.subprotocol ?? 'mqtt'], {
    ...(transport === 'wss' ? tlsFor(host, opts.tls) : {}),
    perMessageDeflate: false,
  });
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    }),
    timeout,
    `WebSocket connection to ${url}`,
  ).catch((e) => {
    ws.terminate();
    throw e;
  });
  return { stream: new WebSocketDuplex(ws), transport };
}

/** Where openTcp connects. */
export interface TcpTarget {
  host: string;
  port: number;
  /** Source address (e.g. one of several loopback addresses, to spread a large fleet's local ports). */
  localAddress?: string;
}

/**
 * A TCP connection started now, with Nagle off, for callers that drive it by its events and
 * their own timers (the fleet's devices, the fuzzer's cases): the socket comes back at once and
 * emits 'connect', or 'error' then 'close'. dial() is the promise-shaped form, with a timeout.
 */
export function openTcp(t: TcpTarget): Socket {
  return netConnect({
    host: t.host,
    port: t.port,
    noDelay: true,
    ...(t.localAddress ? { localAddress: t.localAddress } : {}),
  });
}
