import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { Duplex } from 'node:stream';
import { withTimeout } from '../common/index.ts';
import type { TransportKind } from './types.ts';
import { WebSocketDuplex } from './ws-stream.ts';

export interface DialOptions {
  /** TLS options for mqtts:// and wss:// (ca, cert, key, rejectUnauthorized, servername). */
  tls?: ConnectionOptions;
  /** Default 10 000 ms. */
  timeoutMs?: number;
  /** WebSocket subprotocol; default "mqtt". */
  subprotocol?: string;
}

const kinds: Record<string, TransportKind> = { 'mqtt:': 'tcp', 'tcp:': 'tcp', 'mqtts:': 'tls', 'ssl:': 'tls', 'ws:': 'ws', 'wss:': 'wss' };

/** Opens a byte stream to an MQTT server URL (mqtt://, mqtts://, ws://, wss://); resolves once connected. */
export async function dial(url: string, opts: DialOptions = {}): Promise<{ stream: Duplex; transport: TransportKind }> {
  const u = new URL(url);
  const transport = kinds[u.protocol];
  if (transport === undefined) throw new Error(`dial: unsupported URL scheme "${u.protocol}" in ${url} (use mqtt, mqtts, ws or wss)`);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const timeout = opts.timeoutMs ?? 10_000;
  if (transport === 'tcp' || transport === 'tls') {
    const port = Number(u.port || (transport === 'tcp' ? 1883 : 8883));
    const socket: Socket =
      transport === 'tcp' ? netConnect({ host, port, noDelay: true }) : tlsConnect({ host, port, ...(isIP(host) === 0 ? { servername: host } : {}), ...opts.tls });
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
  const ws = new WebSocket(url, [opts.subprotocol ?? 'mqtt'], { ...(transport === 'wss' ? opts.tls : {}), perMessageDeflate: false });
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
