import { createServer, type Socket } from 'node:net';
import type { Listener, ListenOptions } from './types.ts';
import { bind, closeServer, SocketSet } from './net-server.ts';
import { listenerUrl } from './url.ts';

/** Plain MQTT over TCP (mqtt://). */
export async function listenTcp(opts: ListenOptions): Promise<Listener> {
  const host = opts.host ?? '127.0.0.1';
  const sockets = new SocketSet();
  const server = createServer({ noDelay: true }, (socket: Socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    opts.onConnection(socket, { transport: 'tcp', remoteAddress: socket.remoteAddress, remotePort: socket.remotePort });
  });
  const port = await bind(server, host, opts.port ?? 0, 'tcp listener', opts.onError);
  return {
    transport: 'tcp',
    host,
    port,
    url: listenerUrl('tcp', host, port),
    close: () => closeServer(server, sockets),
  };
}
