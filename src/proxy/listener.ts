/**
 * A proxy's listening socket: listen on host:port (port 0 becomes the port the system picked, kept
 * for later re-listens), stop listening (new clients get ECONNREFUSED), listen again in the
 * background, and close.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { formatHostPort } from './address.ts';

export class ProxyListener {
  private server: Server | undefined;
  /** A re-listen in progress, if any. */
  pending: Promise<void> | undefined;

  constructor(
    private readonly name: string,
    readonly host: string,
    public port: number,
    private readonly accept: (s: Socket) => void,
  ) {}

  listen(): Promise<void> {
    const server = createServer({ allowHalfOpen: true, noDelay: true } as never, (s) => this.accept(s));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', (e) =>
        reject(new Error(`proxy ${this.name}: cannot listen on ${formatHostPort(this.host, this.port)}: ${e.message}`)),
      );
      server.listen({ host: this.host, port: this.port }, () => {
        const a = server.address();
        if (a !== null && typeof a !== 'string') this.port = a.port;
        resolve();
      });
    });
  }

  stop(): void {
    this.server?.close();
    this.server = undefined;
  }

  /** Listens again unless listening already or about to; a failure goes to `onError`. */
  resume(onError: (e: Error) => void): void {
    if (this.server === undefined && this.pending === undefined) {
      this.pending = this.listen()
        .catch(onError)
        .finally(() => (this.pending = undefined));
    }
  }

  async close(): Promise<void> {
    await this.pending;
    const srv = this.server;
    this.server = undefined;
    if (srv !== undefined) await new Promise<void>((r) => srv.close(() => r()));
  }
}
