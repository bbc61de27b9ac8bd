/** A packet-level test client built on the codec: send exact packets, await decoded ones. */
import net from 'node:net';
import {
  PacketReader,
  encodePacket,
  type Packet,
  type PacketName,
  type ProtocolLevel,
  type ProtocolViolation,
} from '../../src/codec/index.ts';
import { withTimeout } from '../../src/common/index.ts';

export class RawClient {
  readonly received: Packet[] = [];
  /** A packet from the broker that the strict decoder refused: an error for every wait, never silence. */
  violation: ProtocolViolation | undefined;
  closed = false;
  private waiters: (() => void)[] = [];
  private readonly reader: PacketReader;

  private constructor(
    readonly socket: net.Socket,
    readonly level: ProtocolLevel,
  ) {
    this.reader = new PacketReader({ protocolLevel: level, from: 'server' });
    socket.on('data', (d) => {
      for (const r of this.reader.push(d)) {
        if (r.ok) this.received.push(r.packet);
        else {
          this.violation = r.violation;
          socket.destroy();
        }
      }
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static async open(port: number, level: ProtocolLevel = 4): Promise<RawClient> {
    const s = net.connect(port, '127.0.0.1');
    await withTimeout(new Promise<void>((r, j) => s.once('connect', () => r()).once('error', j)), 3000, 'TCP connect');
    return new RawClient(s, level);
  }

  send(p: Packet): void {
    this.socket.write(encodePacket(p, this.level));
  }

  sendRaw(b: Buffer): void {
    this.socket.write(b);
  }

  /** Wait for (and remove) the first received packet of this type. */
  async expect<N extends PacketName>(type: N, ms = 3000): Promise<Extract<Packet, { type: N }>> {
    return withTimeout(
      (async () => {
        for (;;) {
          const i = this.received.findIndex((p) => p.type === type);
          if (i >= 0) return this.received.splice(i, 1)[0] as Extract<Packet, { type: N }>;
          if (this.violation)
            throw new Error(
              `the broker sent a packet that breaks ${this.violation.statement.id}: ${this.violation.message} (while waiting for ${type})`,
            );
          if (this.closed) throw new Error(`connection closed while waiting for ${type}`);
          await new Promise<void>((r) => this.waiters.push(r));
        }
      })(),
      ms,
      `${type} packet`,
    );
  }

  /**
   * A round trip through the broker instead of a sleep: PINGREQ, then wait for its PINGRESP.
   * The broker handles a connection's packets in order and writes in order, so everything it
   * sent this client before handling the PINGREQ has arrived once the PINGRESP is here.
   */
  async barrier(ms = 3000): Promise<void> {
    this.send({ type: 'pingreq' });
    await this.expect('pingresp', ms);
  }

  /** PUBLISH packets received and not yet taken by expect(). */
  publishes(): Extract<Packet, { type: 'publish' }>[] {
    return this.received.filter((p): p is Extract<Packet, { type: 'publish' }> => p.type === 'publish');
  }

  async waitClosed(ms = 3000): Promise<void> {
    await withTimeout(
      (async () => {
        while (!this.closed) await new Promise<void>((r) => this.waiters.push(r));
      })(),
      ms,
      'connection close',
    );
  }

  async connect(clientId: string, extra: Partial<Extract<Packet, { type: 'connect' }>> = {}) {
    this.send({
      type: 'connect',
      protocolName: this.level === 3 ? 'MQIsdp' : 'MQTT',
      protocolLevel: this.level,
      clean: true,
      keepAlive: 60,
      clientId,
      ...extra,
    });
    return this.expect('connack');
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
