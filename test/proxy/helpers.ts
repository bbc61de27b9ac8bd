/** Test helpers for the proxy: a mosquitto broker on a free port, an echo server, raw MQTT clients. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePacket, PacketReader, type Packet } from '../../src/codec/index.ts';
import { withTimeout, sleep } from '../../src/common/index.ts';

export const MOSQUITTO = '/usr/sbin/mosquitto';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const a = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  if (a === null || typeof a === 'string') throw new Error('no port');
  return a.port;
}

export interface Broker {
  port: number;
  url: string;
  stop(): Promise<void>;
}

/** Starts Debian's mosquitto on a free 127.0.0.1 port (anonymous access) and waits until it accepts. */
export async function startMosquitto(): Promise<Broker> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'proxy-mosq-'));
    const conf = join(dir, 'mosquitto.conf');
    writeFileSync(
      conf,
      `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 100000\n`,
    );
    const proc: ChildProcess = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    let exited = false;
    proc.once('exit', () => (exited = true));
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && !exited) {
      const ok = await new Promise<boolean>((r) => {
        const s = connect(port, '127.0.0.1');
        s.once('connect', () => (s.destroy(), r(true)));
        s.once('error', () => r(false));
      });
      if (ok) {
        return {
          port,
          url: `mqtt://127.0.0.1:${port}`,
          stop: async () => {
            if (!exited) {
              proc.kill('SIGTERM');
              await withTimeout(
                new Promise<void>((r) => (exited ? r() : proc.once('exit', () => r()))),
                5000,
                'mosquitto exit',
              ).catch(() => proc.kill('SIGKILL'));
            }
            rmSync(dir, { recursive: true, force: true });
          },
        };
      }
      await sleep(50);
    }
    proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
  throw new Error('mosquitto did not start');
}

/** A TCP echo server on a free port. */
export async function startEcho(): Promise<{
  port: number;
  server: Server;
  sockets: Set<Socket>;
  close(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: false }, (s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
    s.pipe(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  if (a === null || typeof a === 'string') throw new Error('no port');
  return {
    port: a.port,
    server,
    sockets,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A raw MQTT client over our codec: send packets, await received ones. */
export class RawClient {
  readonly received: Packet[] = [];
  private readonly reader: PacketReader;
  private waiters: Array<() => void> = [];
  closed = false;
  error: Error | undefined;
  private constructor(
    readonly socket: Socket,
    readonly level: 4 | 5,
  ) {
    this.reader = new PacketReader({ protocolLevel: level, from: 'server' });
    socket.on('data', (c: Buffer) => {
      for (const r of this.reader.push(c)) if (r.ok) this.received.push(r.packet);
      this.wake();
    });
    socket.on('error', (e) => {
      this.error = e;
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }
  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
  static async connect(port: number, clientId: string, level: 4 | 5 = 4, clean = true): Promise<RawClient> {
    const socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    await withTimeout(
      new Promise<void>((r, j) => (socket.once('connect', r), socket.once('error', j))),
      3000,
      'tcp connect',
    );
    const c = new RawClient(socket, level);
    c.send({ type: 'connect', protocolName: 'MQTT', protocolLevel: level, clean, keepAlive: 60, clientId });
    await c.waitFor((p) => p.type === 'connack', 'CONNACK');
    return c;
  }
  send(p: Packet): void {
    this.socket.write(encodePacket(p, this.level));
  }
  /** Waits for a received packet matching pred (searching from `from`). */
  async waitFor(pred: (p: Packet) => boolean, what: string, ms = 3000, from = 0): Promise<Packet> {
    return withTimeout(
      new Promise<Packet>((resolve, reject) => {
        const check = () => {
          const p = this.received.slice(from).find(pred);
          if (p !== undefined) return resolve(p);
          if (this.closed) return reject(new Error(`connection closed while waiting for ${what}`));
          this.waiters.push(check);
        };
        check();
      }),
      ms,
      what,
    );
  }
  waitClose(ms = 3000): Promise<void> {
    return withTimeout(
      new Promise<void>((resolve) => {
        const check = () => (this.closed ? resolve() : this.waiters.push(check));
        check();
      }),
      ms,
      'connection close',
    );
  }
  close(): void {
    this.socket.destroy();
  }
}
