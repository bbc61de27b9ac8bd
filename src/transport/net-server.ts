import type { Server } from 'node:net';
import type { Socket } from 'node:net';

/**
 * Tracks open sockets of a server so close() can end them instead of waiting forever.
 * No listener per socket (a once('close') wrapper and closure cost ~250 bytes per idle
 * connection): closed sockets are pruned in bulk when the set has doubled since the last prune.
 */
export class SocketSet {
  private readonly sockets = new Set<Socket>();
  private pruneAt = 64;
  add(s: Socket): void {
    this.sockets.add(s);
    if (this.sockets.size >= this.pruneAt) this.prune();
  }
  private prune(): void {
    for (const s of this.sockets) if (s.destroyed) this.sockets.delete(s);
    this.pruneAt = Math.max(64, this.sockets.size * 2);
  }
  destroyAll(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }
  /** Open sockets. */
  get size(): number {
    this.prune();
    return this.sockets.size;
  }
}

/**
 * Binds a server and resolves with the real port; rejects with a message naming host:port on error.
 * Errors after that (say, EMFILE on accept) go to `onError` instead of crashing the process.
 */
export function bind(
  server: Server,
  host: string,
  port: number,
  what: string,
  onError?: (what: string, err: Error) => void,
): Promise<number> {
  const report = onError;
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => {
      server.off('listening', onListening);
      reject(new Error(`${what}: cannot listen on ${host}:${port}: ${e.message}`));
    };
    const onListening = () => {
      server.off('error', onError);
      server.on('error', (e: Error) => report?.(`${what} error`, e));
      const a = server.address();
      if (a === null || typeof a === 'string') return reject(new Error(`${what}: no address after listen`));
      resolve(a.port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, backlog: 65535 }); // Node passes 511; the kernel caps this at net.core.somaxconn
  });
}

/** Closes a server after destroying its sockets; never rejects for an already-closed server. */
export function closeServer(server: Server, sockets: SocketSet): Promise<void> {
  return new Promise((resolve) => {
    sockets.destroyAll();
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
}
