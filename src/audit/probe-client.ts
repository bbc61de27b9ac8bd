/** A small promise-based MQTT client on the codec, for audit probes (plain TCP or TLS). */
import type { Duplex } from 'node:stream';
import type tls from 'node:tls';
import { dial, listenerUrl } from '../transport/index.ts';
import { PacketReader, encodePacket, type Packet, type PacketName, type ProtocolLevel } from '../codec/index.ts';

export interface Endpoint {
  host: string;
  port: number;
  tls?: tls.ConnectionOptions;
}
export interface Identity {
  username?: string;
  password?: Buffer;
}

export class ProbeClient {
  readonly received: Packet[] = [];
  closed = false;
  private waiters: (() => void)[] = [];
  private readonly reader: PacketReader;

  private constructor(
    readonly socket: Duplex,
    readonly level: ProtocolLevel,
  ) {
    this.reader = new PacketReader({ protocolLevel: level, from: 'server' });
    socket.on('data', (d: Buffer) => {
      for (const r of this.reader.push(d)) if (r.ok) this.received.push(r.packet);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  /** Connects through src/transport (TCP, or TLS with `ep.tls`); rejects after `timeoutMs`. */
  static async open(ep: Endpoint, level: ProtocolLevel, timeoutMs = 3000): Promise<ProbeClient> {
    const url = listenerUrl(ep.tls ? 'tls' : 'tcp', ep.host, ep.port);
    const { stream } = await dial(url, { timeoutMs, ...(ep.tls ? { tls: ep.tls } : {}) });
    return new ProbeClient(stream, level);
  }

  send(p: Packet): void {
    if (!this.closed) this.socket.write(encodePacket(p, this.level));
  }

  /** The first received packet of `type` matching `pred`, or undefined on close / timeout. */
  async next<N extends PacketName>(
    type: N,
    ms = 2000,
    pred: (p: Extract<Packet, { type: N }>) => boolean = () => true,
  ): Promise<Extract<Packet, { type: N }> | undefined> {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = this.received.findIndex((p) => p.type === type && pred(p as Extract<Packet, { type: N }>));
      if (i >= 0) return this.received.splice(i, 1)[0] as Extract<Packet, { type: N }>;
      if (this.closed || Date.now() >= deadline) return undefined;
      await new Promise<void>((r) => {
        const t = setTimeout(r, deadline - Date.now());
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  async waitClosed(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!this.closed && Date.now() < deadline) {
      await new Promise<void>((r) => {
        const t = setTimeout(r, deadline - Date.now());
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    return this.closed;
  }

  /** CONNECT and wait for the CONNACK; undefined when none came. */
  async connect(
    clientId: string,
    id: Identity,
    extra: Partial<Extract<Packet, { type: 'connect' }>> = {},
    ms = 3000,
  ): Promise<Extract<Packet, { type: 'connack' }> | undefined> {
    const c: Packet = {
      type: 'connect',
      protocolName: 'MQTT',
      protocolLevel: this.level,
      clean: true,
      keepAlive: 60,
      clientId,
      ...extra,
    };
    if (id.username !== undefined) c.username = id.username;
    if (id.password !== undefined) c.password = id.password;
    this.send(c);
    return this.next('connack', ms);
  }

  end(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }
}

/** Open, CONNECT, and return the client if the CONNACK accepted it (else close it and return undefined). */
export async function connected(
  ep: Endpoint,
  level: ProtocolLevel,
  clientId: string,
  id: Identity,
  extra: Partial<Extract<Packet, { type: 'connect' }>> = {},
): Promise<{ client?: ProbeClient; code?: number; error?: string }> {
  let c: ProbeClient;
  try {
    c = await ProbeClient.open(ep, level);
  } catch (e) {
    return { error: (e as Error).message };
  }
  const ack = await c.connect(clientId, id, extra);
  if (!ack) {
    c.end();
    return { error: 'no CONNACK' };
  }
  if (ack.reasonCode !== 0) {
    c.end();
    return { code: ack.reasonCode };
  }
  return { client: c, code: 0 };
}
