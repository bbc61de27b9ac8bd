import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Listener, ListenOptions, TlsMaterial } from './types.ts';
import { bind, closeServer, SocketSet } from './net-server.ts';
import { tlsServerOptions } from './tls.ts';
import { listenerUrl } from './url.ts';
import { WebSocketDuplex } from './ws-stream.ts';

/** Subprotocols we accept, best first: "mqtt" (3.1.1 and 5.0) and the older "mqttv3.1". */
export const MQTT_SUBPROTOCOLS = ['mqtt', 'mqttv3.1'] as const;

export interface WsListenOptions extends ListenOptions {
  /** TLS material makes this a wss:// listener. */
  tls?: TlsMaterial;
  /** URL paths that accept the upgrade; default ["/mqtt"]. */
  paths?: string[];
  /** Largest WebSocket message accepted, bytes; default 268435460 (largest MQTT packet). */
  maxPayload?: number;
}

function offered(req: IncomingMessage): string[] {
  const h = req.headers['sec-websocket-protocol'];
  return h === undefined
    ? []
    : h
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
}

function reject(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** MQTT over WebSocket (ws://host:port/mqtt) or secure WebSocket (wss://) when `tls` is given. */
export async function listenWs(opts: WsListenOptions): Promise<Listener> {
  const host = opts.host ?? '127.0.0.1';
  const transport = opts.tls ? 'wss' : 'ws';
  const paths = opts.paths ?? ['/mqtt'];
  const sockets = new SocketSet();
  // Loaded on first use: a process with no WebSocket listener does not carry ws and node:http(s) (about 15 MB RSS).
  const [{ WebSocketServer }, { createServer: createHttpServer }, { createServer: createHttpsServer }] =
    await Promise.all([import('ws'), import('node:http'), import('node:https')]);
  const http: HttpServer = opts.tls ? createHttpsServer(tlsServerOptions(opts.tls)) : createHttpServer();
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: opts.maxPayload ?? 268_435_460,
    handleProtocols: (protocols) => MQTT_SUBPROTOCOLS.find((p) => protocols.has(p)) ?? false,
  });
  http.on('connection', (s) => sockets.add(s));
  http.on('clientError', (err: Error, socket: Duplex) => {
    opts.onError?.('bad HTTP request before WebSocket upgrade', err);
    socket.destroy();
  });
  if (opts.tls)
    http.on('tlsClientError', (err: Error, socket: { remoteAddress?: string }) =>
      opts.onError?.('TLS handshake failed', err, socket.remoteAddress),
    );
  http.on('request', (_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket' });
    res.end(`MQTT over WebSocket: upgrade on ${paths.join(' or ')} with subprotocol "mqtt"\n`);
  });
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '/').split('?')[0];
    const from = req.socket.remoteAddress;
    if (!paths.includes(path)) {
      opts.onError?.('WebSocket upgrade refused', new Error(`path ${path} is not one of ${paths.join(', ')}`), from);
      return reject(socket, 404, 'Not Found');
    }
    const protos = offered(req);
    if (protos.length > 0 && !protos.some((p) => (MQTT_SUBPROTOCOLS as readonly string[]).includes(p))) {
      opts.onError?.('WebSocket upgrade refused', new Error(`no MQTT subprotocol among "${protos.join(', ')}"`), from);
      return reject(socket, 400, 'Bad Request');
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const raw = req.socket;
      raw.setNoDelay(true);
      opts.onConnection(new WebSocketDuplex(ws), {
        transport,
        remoteAddress: raw.remoteAddress,
        remotePort: raw.remotePort,
      });
    });
  });
  const port = await bind(http, host, opts.port ?? 0, `${transport} listener`, opts.onError);
  return {
    transport,
    host,
    port,
    url: listenerUrl(transport, host, port, paths[0]),
    close: async () => {
      await closeServer(http, sockets);
      wss.close();
    },
  };
}
