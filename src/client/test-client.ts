import { PacketReader, encodePacket, hexToBuffer, peekConnectHeader } from '../codec/index.ts';
import type { ConnackPacket, DisconnectPacket, Packet, ProtocolLevel } from '../codec/packet-types.ts';
import type { ByteStream } from './byte-stream.ts';
import { dial } from './dial.ts';
import { describePacket, mismatch, type PacketPattern } from './pattern.ts';
import { PacketTrace } from './trace.ts';
import { buildConnect, type ConnectOptions } from './connect-options.ts';
import {
  ExpectationError,
  expectationFailure,
  type CloseInfo,
  type RecordedViolation,
  type TestClientOptions,
} from './test-client-types.ts';
import { SentOddities } from './sent-oddities.ts';
import { AutoAcker } from './auto-ack.ts';
import { PacketWaiters } from './packet-waiters.ts';

export { ExpectationError, type CloseInfo, type RecordedViolation, type TestClientOptions };

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
  private readonly waiters = new PacketWaiters();
  private lastDisconnect: DisconnectPacket | undefined;
  private closingByUs = false;
  private dead = false;
  autoAck: boolean;
  /** What this client sent that a broker's answer may mirror although the codec flags it. */
  private readonly sentOddities = new SentOddities();
  /** Acknowledges deliveries on arrival when autoAck is on. */
  private readonly acker = new AutoAcker((p) => this.send(p));

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
    this.sentOddities.note(bytes);
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
    return this.waiters.wait(test, label, timeoutMs, () =>
      this.failure(`no ${label} within ${timeoutMs} ms`, patterns[0]),
    );
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
      p = await this.waiters.wait(
        () => true,
        'the next packet',
        timeoutMs,
        () =>
          this.failure(`no packet at all within ${timeoutMs} ms (expected ${describePacket(pattern)} next)`, pattern),
      );
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
    await this.waiters.untilClosed(ms);
    const got = this.inbox.slice(seen).find(test);
    if (got)
      throw new ExpectationError(
        `${this.name} received ${describePacket(got)} but expected nothing${pattern ? ` like ${describePacket(pattern)}` : ''} for ${ms} ms`,
      );
  }

  /** Waits for the broker to close the connection; says which DISCONNECT (if any) came first. */
  async expectClosed(ms: number): Promise<CloseInfo> {
    if (!this.closeInfo && !(await this.waiters.untilClosed(ms)))
      throw this.failure(`connection still open after ${ms} ms`);
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
    return expectationFailure(this.name, what, {
      inbox: this.inbox,
      closeInfo: this.closeInfo,
      violations: this.unexpectedViolations(),
      pattern,
    });
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
        const mirrored = this.sentOddities.mirrors(r.violation);
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

  /** Whether this delivery was already acknowledged on arrival (autoAck). */
  wasAutoAcked(p: Packet): boolean {
    return this.acker.acknowledged(p);
  }

  private deliver(p: Packet): void {
    if (p.type === 'disconnect') this.lastDisconnect = p;
    if (this.onPacket?.(p) === true) return;
    // A PUBREL answered on arrival is the client's own business: steps never see it.
    if (this.autoAck && !this.closingByUs && !this.closed && this.acker.onArrival(p)) return;
    if (!this.waiters.offer(p)) this.inbox.push(p);
  }

  private onClose(error?: Error): void {
    this.closeInfo = { disconnect: this.lastDisconnect, error: error?.message, byUs: this.closingByUs };
    this.trace.add({
      client: this.name,
      direction: 'event',
      note: `connection closed${this.closingByUs ? ' by us' : ''}${error ? `: ${error.message}` : ''}`,
    });
    this.waiters.connectionClosed((label) => this.failure(`connection closed while waiting for ${label}`));
  }
}
