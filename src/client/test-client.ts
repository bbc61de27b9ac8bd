import { PacketReader, encodePacket, hexToBuffer, peekConnectHeader } from '../codec/index.ts';
import type { ConnackPacket, DisconnectPacket, Packet, ProtocolLevel } from '../codec/packet-types.ts';
import type { ProtocolViolation } from '../codec/violation.ts';
import type { ByteStream, DialOptions } from './byte-stream.ts';
import { dial } from './dial.ts';
import { describePacket, mismatch, type PacketPattern } from './pattern.ts';
import { PacketTrace } from './trace.ts';
import { buildConnect, type ConnectOptions } from './connect-options.ts';

export interface TestClientOptions extends DialOptions {
  /** Name in traces and messages ("A", "sub"...). */
  name?: string;
  /** Level used to decode until a CONNECT is sent; default 4 (3.1.1). */
  protocolLevel?: ProtocolLevel;
  /** Shared trace; each client makes its own when absent. */
  trace?: PacketTrace;
  /**
   * Acknowledge QoS 1 / 2 deliveries as they arrive (PUBACK; PUBREC, then PUBCOMP on the
   * PUBREL), as real clients do, so that a broker keeping one message in flight is not stalled.
   * Off for scenarios that withhold or send acknowledgements themselves. Default off.
   */
  autoAck?: boolean;
}

export interface RecordedViolation {
  violation: ProtocolViolation;
  hex: string;
  /** Set once a step said this violation was the expected outcome. */
  acknowledged: boolean;
}

export interface CloseInfo {
  /** The DISCONNECT received last before the close, if any. */
  disconnect?: DisconnectPacket;
  /** Socket error text, when the close was not orderly (e.g. ECONNRESET). */
  error?: string;
  /** We closed it ourselves. */
  byUs: boolean;
}

/** Failure of an expectation about the broker's behaviour: a protocol verdict. */
export class ExpectationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpectationError';
  }
}

interface Waiter {
  test: (p: Packet) => boolean;
  label: string;
  resolve(p: Packet): void;
  reject(e: Error): void;
}

/**
 * A strict packet-level MQTT client for conformance tests. It does exactly what it is
 * told (no automatic acks, pings or retries), decodes everything it receives strictly,
 * and records every packet in a trace.
 */
export class TestClient {
  readonly name: string;
  readonly trace: PacketTrace;
  /** Received packets nobody has awaited yet, in arrival order. */
  readonly inbox: Packet[] = [];
  readonly violations: RecordedViolation[] = [];
  /** Set once the connection is gone. */
  closeInfo: CloseInfo | undefined;
  /**
   * Sees every received packet first; returning true claims it (no waiter, not in the inbox).
   * For drivers that answer packets themselves (the explorer's auto-acknowledging clients).
   */
  onPacket: ((p: Packet) => boolean) | undefined;
  private level: ProtocolLevel;
  private readonly reader: PacketReader;
  private waiters: Waiter[] = [];
  private closeWaiters: Array<() => void> = [];
  private lastDisconnect: DisconnectPacket | undefined;
  private closingByUs = false;
  private dead = false;
  autoAck: boolean;
  /** Deliveries this client acknowledged on arrival (acknowledgeFlow leaves them alone). */
  private readonly autoAcked = new WeakSet<Packet>();
  /**
   * What this client sent that a broker's answer may mirror although the codec flags it: a
   * Packet Identifier 0, a SUBSCRIBE without filters (the echo is then what 2.3.1-6 / -7 and
   * 3.8.4-5 ask for, and the scenario's own check decides).
   */
  private readonly sentOddities = new Set<'zero-id' | 'empty-subscribe'>();
  /** Packet ids of QoS 2 deliveries answered with PUBREC on arrival, awaiting PUBREL. */
  private readonly awaitingRel = new Set<number>();

  private constructor(
    private readonly stream: ByteStream,
    opts: TestClientOptions,
  ) {
    this.name = opts.name ?? 'client';
    this.trace = opts.trace ?? new PacketTrace();
    this.level = opts.protocolLevel ?? 4;
    this.autoAck = opts.autoAck ?? false;
    this.reader = new PacketReader({ protocolLevel: this.level, from: 'server', keepBytes: true });
    stream.onData((chunk) => this.onData(chunk));
    stream.onClose((error) => this.onClose(error));
  }

  /** Opens the transport (no MQTT traffic yet). Rejects with a TargetError if unreachable. */
  static async open(opts: TestClientOptions): Promise<TestClient> {
    const stream = await dial(opts);
    const c = new TestClient(stream, opts);
    c.trace.add({ client: c.name, direction: 'event', note: `opened ${stream.description}` });
    return c;
  }

  get protocolLevel(): ProtocolLevel {
    return this.level;
  }
  set protocolLevel(l: ProtocolLevel) {
    this.level = l;
    this.reader.protocolLevel = l;
  }

  get closed(): boolean {
    return this.closeInfo !== undefined;
  }

  /** We asked for the close (end / destroy / close) and it may not have completed yet. */
  get closing(): boolean {
    return this.closingByUs;
  }

  /** Violations no step has acknowledged. */
  unexpectedViolations(): RecordedViolation[] {
    return this.violations.filter((v) => !v.acknowledged);
  }

  send(packet: Packet): void {
    if (packet.type === 'connect') {
      this.protocolLevel = packet.protocolLevel;
      // What we announce as Maximum Packet Size is what the server must respect (MQTT-3.1.2-24).
      // 0 is not a valid value (a protocol error the broker must refuse), not a limit: our
      // decoder must not flag the broker's refusal because of it.
      const max = packet.properties?.maximumPacketSize;
      this.reader.maximumPacketSize = max === undefined || max === 0 ? undefined : max;
    }
    const bytes = encodePacket(packet, this.level);
    this.trace.add({ client: this.name, direction: 'sent', packet, hex: bytes.toString('hex') });
    this.stream.write(bytes);
  }

  /** Sends bytes as given ("10 0c 00 04 ..." or a Buffer); a raw CONNECT still sets the level. */
  sendRaw(data: string | Buffer): void {
    const bytes = typeof data === 'string' ? hexToBuffer(data) : data;
    const lvl = peekConnectHeader(bytes)?.level;
    if (lvl === 3 || lvl === 4 || lvl === 5) this.protocolLevel = lvl;
    this.noteOddities(bytes);
    this.trace.add({ client: this.name, direction: 'sent', hex: bytes.toString('hex'), note: 'raw bytes' });
    this.stream.write(bytes);
  }

  /** Over WebSocket only: one text message (MQTT must use binary messages, MQTT-6.0.0-1). */
  sendWebSocketText(text: string): void {
    if (!this.stream.writeText)
      throw new Error(
        `${this.name}: not a WebSocket connection (${this.stream.description}); cannot send a text message`,
      );
    this.trace.add({
      client: this.name,
      direction: 'sent',
      hex: Buffer.from(text).toString('hex'),
      note: 'WebSocket TEXT message',
    });
    this.stream.writeText(text);
  }

  /** Sends CONNECT and waits for CONNACK (whatever its reason code). */
  async connect(o: ConnectOptions = {}, timeoutMs = 5000): Promise<ConnackPacket> {
    this.send(buildConnect(o));
    return (await this.expect({ type: 'connack' }, timeoutMs)) as ConnackPacket;
  }

  /** The first received packet matching the pattern, from the inbox or as it arrives. */
  expect(pattern: PacketPattern, timeoutMs: number): Promise<Packet> {
    return this.expectAny([pattern], timeoutMs);
  }

  /** The first received packet matching any of the patterns. */
  expectAny(patterns: PacketPattern[], timeoutMs: number): Promise<Packet> {
    const test = (p: Packet): boolean => patterns.some((x) => mismatch(p, x) === null);
    const label = patterns.map(describePacket).join(' or ');
    const i = this.inbox.findIndex(test);
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0]);
    if (this.closed) return Promise.reject(this.failure(`expected ${label} but the connection is closed`, patterns[0]));
    return new Promise<Packet>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(this.failure(`no ${label} within ${timeoutMs} ms`, patterns[0]));
      }, timeoutMs);
      const waiter: Waiter = {
        test,
        label,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /**
   * The next received packet nobody has claimed, which must match the pattern: unlike
   * `expect`, a different packet arriving first is a failure ("CONNACK must come first").
   */
  async expectNext(pattern: PacketPattern, timeoutMs: number): Promise<Packet> {
    let p: Packet;
    if (this.inbox.length > 0) p = this.inbox.shift()!;
    else {
      if (this.closed)
        throw this.failure(`expected ${describePacket(pattern)} next but the connection is closed`, pattern);
      p = await new Promise<Packet>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(
            this.failure(`no packet at all within ${timeoutMs} ms (expected ${describePacket(pattern)} next)`, pattern),
          );
        }, timeoutMs);
        const waiter: Waiter = {
          test: () => true,
          label: 'the next packet',
          resolve: (x) => {
            clearTimeout(timer);
            resolve(x);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        };
        this.waiters.push(waiter);
      });
    }
    const m = mismatch(p, pattern);
    if (m)
      throw new ExpectationError(
        `${this.name}: the next packet was ${describePacket(p)}, expected ${describePacket(pattern)} (${m})`,
      );
    return p;
  }

  /** Passes when no matching packet (any packet when no pattern) arrives within `ms`. */
  async expectNothing(pattern: PacketPattern | undefined, ms: number): Promise<void> {
    const test = (p: Packet): boolean => pattern === undefined || mismatch(p, pattern) === null;
    const already = this.inbox.find(test);
    if (already)
      throw new ExpectationError(
        `${this.name} received ${describePacket(already)} but expected nothing${pattern ? ` like ${describePacket(pattern)}` : ''}`,
      );
    const seen = this.inbox.length;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      this.closeWaiters.push(done);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
    });
    const got = this.inbox.slice(seen).find(test);
    if (got)
      throw new ExpectationError(
        `${this.name} received ${describePacket(got)} but expected nothing${pattern ? ` like ${describePacket(pattern)}` : ''} for ${ms} ms`,
      );
  }

  /** Waits for the broker to close the connection; says which DISCONNECT (if any) came first. */
  async expectClosed(ms: number): Promise<CloseInfo> {
    if (!this.closeInfo) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.closeWaiters = this.closeWaiters.filter((w) => w !== done);
          reject(this.failure(`connection still open after ${ms} ms`));
        }, ms);
        const done = (): void => {
          clearTimeout(timer);
          resolve();
        };
        this.closeWaiters.push(done);
      });
    }
    return this.closeInfo!;
  }

  /** Sends DISCONNECT-less close (FIN). */
  end(): void {
    this.closingByUs = true;
    this.trace.add({ client: this.name, direction: 'event', note: 'closing the connection (no DISCONNECT)' });
    this.stream.end();
  }

  /** Drops the connection at once (e.g. to trigger a Will). */
  destroy(): void {
    this.closingByUs = true;
    this.stream.destroy();
  }

  /** Waits (bounded) until the connection is gone; destroys it if it lingers. */
  async close(ms = 1000): Promise<void> {
    if (this.closed) return;
    this.closingByUs = true;
    this.stream.end();
    try {
      await this.expectClosed(ms);
    } catch {
      this.stream.destroy();
    }
  }

  private failure(what: string, pattern?: PacketPattern): ExpectationError {
    const lines = [`${this.name}: ${what}.`];
    if (this.inbox.length > 0) {
      lines.push(`unclaimed packets received: ${this.inbox.map(describePacket).join('; ')}`);
      if (pattern) {
        const near = this.inbox.find((p) => p.type === pattern.type);
        if (near) lines.push(`closest ${pattern.type}: ${mismatch(near, pattern)}`);
      }
    } else lines.push('nothing unclaimed was received.');
    if (this.closeInfo)
      lines.push(
        `connection closed${this.closeInfo.error ? ` (${this.closeInfo.error})` : ''}${this.closeInfo.byUs ? ' by us' : ' by the broker'}.`,
      );
    for (const v of this.unexpectedViolations())
      lines.push(`violation ${v.violation.statement.id}: ${v.violation.message}`);
    return new ExpectationError(lines.join('\n'));
  }

  private onData(chunk: Buffer): void {
    if (this.dead) return;
    const results = this.reader.push(chunk);
    results.forEach((r) => {
      const hex = (r.bytes ?? Buffer.alloc(0)).toString('hex');
      if (r.ok) {
        this.trace.add({ client: this.name, direction: 'received', packet: r.packet, hex });
        this.deliver(r.packet);
      } else {
        const mirrored = this.mirrors(r.violation);
        this.violations.push({ violation: r.violation, hex, acknowledged: mirrored });
        this.trace.add({
          client: this.name,
          direction: 'received',
          violation: r.violation,
          hex,
          ...(mirrored
            ? { note: 'mirrors what this client sent; not counted, and nothing after it can be decoded' }
            : {}),
        });
        this.dead = true;
        // A mirrored answer leaves the connection to the broker (the scenario's check is whether it
        // closes it); otherwise the harness closes it itself, and says so (closeInfo.byUs).
        if (!mirrored) {
          this.closingByUs = true;
          this.stream.destroy();
        }
      }
    });
  }

  /** Remembers a Packet Identifier 0 or an empty SUBSCRIBE among raw bytes sent (see sentOddities). */
  private noteOddities(b: Buffer): void {
    const type = b[0] >> 4;
    let i = 1;
    while (i < b.length && i < 5 && (b[i] & 0x80) !== 0) i++;
    const body = i + 1;
    const rl = b.length - body;
    if (type === 3 && ((b[0] >> 1) & 3) > 0 && b.length > body + 1) {
      const at = body + 2 + b.readUInt16BE(body);
      if (at + 2 <= b.length && b.readUInt16BE(at) === 0) this.sentOddities.add('zero-id');
    } else if ((type === 8 || type === 10) && rl >= 2) {
      if (b.readUInt16BE(body) === 0) this.sentOddities.add('zero-id');
      if (type === 8 && rl === 2) this.sentOddities.add('empty-subscribe');
    }
  }

  /** A codec violation that only mirrors what this client sent (see sentOddities). */
  private mirrors(v: ProtocolViolation): boolean {
    const id = v.statement.id;
    if (
      this.sentOddities.has('zero-id') &&
      ['MQTT-2.3.1-6', 'MQTT-2.3.1-7', 'MQTT-2.2.1-5', 'MQTT-2.2.1-6'].includes(id)
    )
      return true;
    return this.sentOddities.has('empty-subscribe') && id === 'MQTT-3.9.3-2';
  }

  /** Whether this delivery was already acknowledged on arrival (autoAck). */
  wasAutoAcked(p: Packet): boolean {
    return this.autoAcked.has(p);
  }

  /** Acknowledges a delivery on arrival; true for a PUBREL it completed (consumed, not delivered to steps). */
  private autoAcknowledge(p: Packet): boolean {
    if (p.type === 'publish' && p.qos > 0 && p.packetId !== undefined) {
      this.autoAcked.add(p);
      if (p.qos === 1) this.send({ type: 'puback', packetId: p.packetId });
      else {
        this.awaitingRel.add(p.packetId);
        this.send({ type: 'pubrec', packetId: p.packetId });
      }
    } else if (p.type === 'pubrel' && this.awaitingRel.delete(p.packetId)) {
      this.send({ type: 'pubcomp', packetId: p.packetId });
      return true;
    }
    return false;
  }

  private deliver(p: Packet): void {
    if (p.type === 'disconnect') this.lastDisconnect = p;
    if (this.onPacket?.(p) === true) return;
    // A PUBREL answered on arrival is the client's own business: steps never see it.
    if (this.autoAck && !this.closingByUs && !this.closed && this.autoAcknowledge(p)) return;
    const w = this.waiters.find((x) => x.test(p));
    if (w) {
      this.waiters = this.waiters.filter((x) => x !== w);
      w.resolve(p);
    } else this.inbox.push(p);
  }

  private onClose(error?: Error): void {
    this.closeInfo = { disconnect: this.lastDisconnect, error: error?.message, byUs: this.closingByUs };
    this.trace.add({
      client: this.name,
      direction: 'event',
      note: `connection closed${this.closingByUs ? ' by us' : ''}${error ? `: ${error.message}` : ''}`,
    });
    for (const w of this.waiters.splice(0)) {
      w.reject(this.failure(`connection closed while waiting for ${w.label}`));
    }
    for (const c of this.closeWaiters.splice(0)) c();
  }
}
