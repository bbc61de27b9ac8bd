import { createServer, type TLSSocket } from 'node:tls';
import { readFileSync } from 'node:fs';
import type { Listener, ListenOptions, TlsMaterial } from './types.ts';
import { bind, closeServer, SocketSet } from './net-server.ts';
import { listenerUrl } from './url.ts';

/** Reads PEM files named by path; errors name the file that could not be read. */
export function readTlsFiles(paths: { cert: string; key: string; ca?: string }): TlsMaterial {
  const read = (what: string, p: string) => {
    try {
      return readFileSync(p);
    } catch (e) {
      throw new Error(`cannot read TLS ${what} file ${p}: ${(e as Error).message}`, { cause: e });
    }
  };
  return {
    cert: read('certificate', paths.cert),
    key: read('key', paths.key),
    ...(paths.ca !== undefined ? { ca: read('CA', paths.ca) } : {}),
  };
}

export function tlsServerOptions(t: TlsMaterial) {
  return {
    cert: t.cert,
    key: t.key,
    ...(t.ca !== undefined ? { ca: t.ca } : {}),
    requestCert: t.requestCert ?? false,
    rejectUnauthorized: t.requestCert ? (t.rejectUnauthorized ?? true) : false,
  };
}

/** MQTT over TLS (mqtts://). Handshake failures are dropped without reaching onConnection. */
export async function listenTls(opts: ListenOptions & { tls: TlsMaterial }): Promise<Listener> {
  const host = opts.host ?? '127.0.0.1';
  const sockets = new SocketSet();
  const server = createServer(tlsServerOptions(opts.tls), (socket: TLSSocket) => {
    socket.setNoDelay(true);
    opts.onConnection(socket, { transport: 'tls', remoteAddress: socket.remoteAddress, remotePort: socket.remotePort });
  });
  // Track raw sockets (before the handshake) so close() never waits on a stalled handshake.
  server.on('connection', (raw) => sockets.add(raw));
  // A failed handshake only ends that connection.
  server.on('tlsClientError', (err, socket) => opts.onError?.('TLS handshake failed', err, socket.remoteAddress));
  const port = await bind(server, host, opts.port ?? 0, 'tls listener', opts.onError);
  return {
    transport: 'tls',
    host,
    port,
    url: listenerUrl('tls', host, port),
    close: () => closeServer(server, sockets),
  };
}
