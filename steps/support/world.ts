import type { IWorldOptions } from '@cucumber/cucumber';
import { encodePacket, peekConnectHeader, type Packet, type PublishPacket, type QoS } from '../../src/codec/index.ts';
import {
  ExpectationError,
  TargetError,
  TestClient,
  acknowledgeFlow,
  completePacket,
  describePacket,
  levelOf,
  mismatch,
  parsePacketSpec,
  publishFlow,
  subscribeFlow,
  unsubscribeFlow,
  type CloseInfo,
  type PacketPattern,
} from '../../src/client/index.ts';
import { WorldBase } from './world-base.ts';
import { NotApplicableError } from './capability-guard.ts';
import { AdvisoryError } from './failure-classes.ts';

export type Credentials = 'default' | 'second' | 'none';

/** Whether raw bytes are a CONNECT whose flags say it carries no user name (so no credentials). */
export function rawConnectWithoutUsername(b: Buffer): boolean {
  const flags = peekConnectHeader(b)?.flags;
  return flags !== undefined && (flags & 0x80) === 0;
}
/**
 * The facade feature steps talk to: named clients, the scenario's protocol version,
 * prefixes for client ids and topics, scaled timeouts, capability checks and the trace
 * (scenario state in world-base.ts). Steps stay one-liners; everything protocol-shaped
 * lives in src/client.
 */
export class ConformanceWorld extends WorldBase {
  constructor(options: IWorldOptions<Record<string, unknown>>) {
    super(options);
  }

  /**
   * Opens a network connection for `name` (no MQTT traffic); a closed earlier one is replaced.
   * `url` dials another endpoint of the target (its WebSocket one) instead of the run's URL.
   */
  async open(name: string, version?: string, url?: string): Promise<TestClient> {
    const old = this.clients.get(name);
    if (old && !old.closed)
      throw new Error(`client "${name}" already has an open connection; close it first or use another name`);
    const run = this.run;
    const c = await TestClient.open({
      url: url ?? this.endpoint ?? run.url,
      connectTimeoutMs: this.ms(3000),
      caFile: run.config.caFile,
      insecure: run.config.insecure,
      name,
      protocolLevel: version ? levelOf(version) : this.level,
      trace: this.trace,
      autoAck: this.autoAck,
    });
    this.clients.set(name, c);
    return c;
  }

  /**
   * Sends CONNECT for `name` (opening a connection first if needed). `spec` holds CONNECT
   * fields in the packet grammar ("clean start false and session expiry 300"). Resolves with
   * the CONNECT sent; `connected` also awaits a successful CONNACK.
   */
  async sendConnect(
    name: string,
    o: { version?: string; spec?: string; credentials?: Credentials } = {},
  ): Promise<TestClient> {
    const existing = this.clients.get(name);
    // A connection this scenario is closing must not be reused: wait until it is gone.
    if (existing && !existing.closed && existing.closing) await existing.close(this.ms(1000));
    const pattern = this.prepareConnect(name, parsePacketSpec(`CONNECT ${o.spec ?? ''}`), o.credentials);
    const level = o.version ? levelOf(o.version) : this.level;
    const packet = completePacket(this.withTopics(pattern), level);
    this.guardPacket(packet, level);
    const c = existing && !existing.closed ? existing : await this.open(name, o.version);
    c.send(packet);
    return c;
  }

  /**
   * Client id and credentials of a CONNECT: no `client id` → the name's scenario id;
   * `client id "x"` → prefixed; `exact client id "x"` → as written; no username/password →
   * the target's credentials (or the second ones, or none).
   */
  private prepareConnect(name: string, spec: PacketPattern, credentials: Credentials = 'default'): PacketPattern {
    const pattern = { ...spec } as Record<string, unknown>;
    if (typeof pattern.exactClientId === 'string') {
      pattern.clientId = pattern.exactClientId;
      delete pattern.exactClientId;
    } else if (typeof pattern.clientId === 'string') {
      pattern.clientId = pattern.clientId === '' ? '' : this.idPrefix + pattern.clientId;
    } else pattern.clientId = this.clientIdOf(name);
    const cfg = this.run.config;
    if (pattern.username === undefined && pattern.password === undefined) {
      if (credentials === 'second' && cfg.username2 === undefined)
        throw new TargetError('this scenario needs second credentials (username2 / MQTT_USERNAME2)');
      const [u, pw] =
        credentials === 'default'
          ? [cfg.username, cfg.password]
          : credentials === 'second'
            ? [cfg.username2, cfg.password2]
            : [];
      if (u !== undefined) pattern.username = u;
      if (pw !== undefined) pattern.password = Buffer.from(pw);
    }
    return pattern as PacketPattern;
  }

  /**
   * For steps: 'skipped' (not applicable) when the scenario needs second credentials the
   * target configuration does not have; the broker is not at fault then.
   */
  lacksCredentials(credentials: Credentials | undefined): 'skipped' | undefined {
    return credentials === 'second' && this.run.config.username2 === undefined
      ? this.notApplicable(
          'the scenario needs a second identity: set username2 / password2 (MQTT_USERNAME2 / MQTT_PASSWORD2)',
        )
      : undefined;
  }

  /** CONNECT and wait for a CONNACK that accepts it. */
  async connected(name: string, o: { version?: string; spec?: string; credentials?: Credentials } = {}): Promise<void> {
    const c = await this.sendConnect(name, o);
    const asked = parsePacketSpec(`CONNECT ${o.spec ?? ''}`);
    let ack: Packet;
    try {
      ack = await c.expect({ type: 'connack' }, this.waitMs);
    } catch (e) {
      this.guardConnackSize(c, asked);
      throw e;
    }
    if (ack.type === 'connack' && ack.reasonCode !== 0) {
      throw new ExpectationError(`${name}: connection refused: ${describePacket(ack)}`);
    }
    // A scenario that chose its Keep Alive relies on it; a broker that imposes its own makes it not
    // applicable. Keep Alive 0 (off) is only contradicted by a Server Keep Alive short enough for a
    // scenario to notice (the suite never waits a minute; mosquitto answers 0 with 65535).
    const serverKeepAlive = ack.type === 'connack' ? ack.properties?.serverKeepAlive : undefined;
    const k = asked.keepAlive;
    const overridden =
      typeof k === 'number' &&
      serverKeepAlive !== undefined &&
      serverKeepAlive !== k &&
      (k > 0 || serverKeepAlive < 60);
    if (this.guardCapabilities && overridden) {
      throw new NotApplicableError(
        `the scenario connects with Keep Alive ${asked.keepAlive}, and the broker imposes its Server Keep Alive ${serverKeepAlive}`,
      );
    }
  }

  /**
   * The broker closed instead of answering a CONNECT whose Maximum Packet Size is smaller than
   * the CONNACK it sent at discovery: it could not answer within that limit (MQTT-3.1.2-24), so
   * the scenario is not applicable there.
   */
  private guardConnackSize(c: TestClient, asked: PacketPattern): void {
    const max = (asked.properties as { maximumPacketSize?: unknown } | undefined)?.maximumPacketSize;
    const bytes = this.capabilitiesAt(c.protocolLevel)?.connackBytes;
    if (
      this.guardCapabilities &&
      c.closed &&
      typeof max === 'number' &&
      max > 0 &&
      bytes !== undefined &&
      bytes > max
    ) {
      throw new NotApplicableError(
        `the broker's CONNACK (${bytes} bytes at discovery) does not fit the scenario's Maximum Packet Size ${max}`,
      );
    }
  }

  /**
   * Connects `name` over the target's WebSocket endpoint (the run's URL when it is ws://, else
   * wsUrl / the embedded broker's WS listener); not applicable (returns 'skipped') without one.
   */
  /** The endpoint every client of this scenario dials, when a step chose one other than the run's URL. */
  private endpoint?: string;

  /**
   * Makes every client of this scenario dial the target's WebSocket endpoint (the run's URL when
   * it is ws://, else wsUrl / the embedded broker's WS listener); not applicable without one.
   */
  useWebSocketEndpoint(): 'skipped' | undefined {
    const ws = this.run.wsUrl;
    if (!ws) {
      return this.notApplicable(
        `the target ${this.run.display} has no known WebSocket endpoint (run at a ws:// URL, or set wsUrl / MQTT_WS_URL)`,
      );
    }
    this.endpoint = ws;
    return undefined;
  }

  async connectedOverWebSocket(
    name: string,
    o: { version?: string; spec?: string } = {},
  ): Promise<'skipped' | undefined> {
    const ws = this.run.wsUrl;
    if (!ws) {
      return this.notApplicable(
        `the target ${this.run.display} has no known WebSocket endpoint (run at a ws:// URL, or set wsUrl / MQTT_WS_URL)`,
      );
    }
    await this.open(name, o.version, ws);
    await this.connected(name, o);
    return undefined;
  }

  /**
   * Sends one packet in a WebSocket TEXT message (MQTT-6.0.0-1 forbids it). Its bytes must all
   * be ASCII, so the text message carries exactly the packet's bytes.
   */
  sendAsWebSocketText(name: string, spec: string): void {
    const c = this.client(name);
    const p = completePacket(this.withTopics(this.resolveLast(name, parsePacketSpec(spec))), c.protocolLevel);
    const bytes = encodePacket(p, c.protocolLevel);
    const bad = bytes.findIndex((b) => b >= 0x80);
    if (bad >= 0)
      throw new Error(
        `${describePacket(p)} is not all ASCII (byte ${bad} is 0x${bytes[bad].toString(16)}), so a text message cannot carry it unchanged`,
      );
    c.sendWebSocketText(bytes.toString('latin1'));
  }

  /** Sends one packet described in the step grammar (topics prefixed, defaults filled). */
  send(name: string, spec: string | PacketPattern): void {
    const c = this.client(name);
    let pattern = this.resolveLast(name, typeof spec === 'string' ? parsePacketSpec(spec) : spec);
    if (pattern.type === 'connect') pattern = this.prepareConnect(name, pattern);
    const p = completePacket(this.withTopics(pattern), c.protocolLevel);
    this.guardPacket(p, p.type === 'connect' ? p.protocolLevel : c.protocolLevel);
    if (p.type === 'publish' && p.retain && p.payload.length > 0) this.retainedTopics.add(p.topic);
    c.send(p);
  }

  sendRaw(name: string, hex: string): void {
    const bytes = Buffer.from(hex.replace(/#[^\n]*/g, '').replace(/[^0-9a-fA-F]/g, ''), 'hex');
    if (rawConnectWithoutUsername(bytes)) this.rawConnects.add(name);
    this.client(name).sendRaw(hex);
  }

  async receive(name: string, spec: string | PacketPattern, withinMs?: number): Promise<Packet> {
    const pattern = this.resolveLast(name, typeof spec === 'string' ? parsePacketSpec(spec) : spec);
    this.guardPattern(this.withTopics(pattern), this.client(name).protocolLevel, name);
    if (pattern.type === 'suback' && Array.isArray(pattern.reasonCodes) && this.guardCapabilities)
      return this.receiveSuback(name, pattern, withinMs);
    return this.remember(name, await this.client(name).expect(this.withTopics(pattern), withinMs ?? this.waitMs));
  }

  /**
   * A SUBACK expected to grant QoS n may legally grant less (MQTT-3.8.4-6): the scenario then
   * cannot check what it meant to, and is not applicable, naming the SUBACK. Any other
   * difference fails the step as usual.
   */
  private async receiveSuback(name: string, pattern: PacketPattern, withinMs?: number): Promise<Packet> {
    const want = pattern.reasonCodes as unknown[];
    const { reasonCodes: _drop, ...rest } = pattern;
    const got = (await this.client(name).expect(
      this.withTopics(rest as PacketPattern),
      withinMs ?? this.waitMs,
    )) as Extract<Packet, { type: 'suback' }>;
    const lower = want.some(
      (w, i) => typeof w === 'number' && w <= 2 && got.reasonCodes[i] !== undefined && got.reasonCodes[i] < w,
    );
    const otherwise = want.every(
      (w, i) => typeof w !== 'number' || got.reasonCodes[i] === w || (w <= 2 && got.reasonCodes[i] < w),
    );
    if (lower && otherwise && want.length === got.reasonCodes.length) {
      throw new NotApplicableError(
        `the broker granted less than the scenario asked for (${describePacket(got)}, expected reason codes ${JSON.stringify(want)}), as it may`,
      );
    }
    const m = mismatch(got, this.withTopics(pattern));
    if (m)
      throw new ExpectationError(`${name}: got ${describePacket(got)}, expected ${describePacket(pattern)} (${m})`);
    return this.remember(name, got);
  }

  /** Completes the QoS flow of the last PUBLISH `name` received (PUBACK, or PUBREC / PUBREL / PUBCOMP). */
  async acknowledgeLast(name: string): Promise<void> {
    const p = this.lastReceived.get(name);
    if (!p || p.type !== 'publish') throw new Error(`"${name}" has not received a PUBLISH in this scenario`);
    await acknowledgeFlow(this.client(name), p, this.waitMs);
  }

  async receiveNext(name: string, spec: string | PacketPattern, withinMs?: number): Promise<Packet> {
    const pattern = this.resolveLast(name, typeof spec === 'string' ? parsePacketSpec(spec) : spec);
    this.guardPattern(this.withTopics(pattern), this.client(name).protocolLevel, name);
    return this.remember(name, await this.client(name).expectNext(this.withTopics(pattern), withinMs ?? this.waitMs));
  }

  /** Closed by the broker with no packet received that no step claimed (no CONNACK, no DISCONNECT...). */
  async closedSilently(name: string, withinMs?: number): Promise<void> {
    await this.closed(name, withinMs);
    const c = this.client(name);
    if (c.inbox.length > 0) {
      throw new ExpectationError(
        `${name}: the broker sent ${c.inbox.map(describePacket).join('; ')} before closing; expected no packet`,
      );
    }
  }

  async receiveNothing(name: string, spec: string | undefined, forMs: number): Promise<void> {
    const pattern = spec ? this.withTopics(parsePacketSpec(spec)) : undefined;
    await this.client(name).expectNothing(pattern, forMs);
  }

  async closed(name: string, withinMs?: number): Promise<CloseInfo> {
    let info: CloseInfo;
    try {
      info = await this.client(name).expectClosed(withinMs ?? this.waitMs);
    } catch (e) {
      throw this.undetected(name, (e as Error).message) ?? e;
    }
    if (info.byUs) throw new Error(`the connection of "${name}" was closed by the test itself, not by the broker`);
    return info;
  }

  /**
   * A 5.0 broker that kept the connection open and said nothing about a malformed packet or a
   * protocol error did not detect it; 4.13.1 leaves the rigor of checks to the implementation,
   * and MQTT-4.13.1-1 binds a server that detects one. When that is all the step checks, its
   * failure is an advisory finding, not a violation.
   */
  undetected(name: string, observed: string): AdvisoryError | undefined {
    const st = this.account.stepStatements;
    if (st.length === 0 || !st.every((s) => s.version === '5.0' && s.id === 'MQTT-4.13.1-1')) return undefined;
    const said = this.trace.entries.some(
      (t) =>
        t.client === name &&
        t.direction === 'received' &&
        (t.packet?.type === 'disconnect' || t.packet?.type === 'connack') &&
        (t.packet.reasonCode ?? 0) >= 0x80,
    );
    if (said) return undefined;
    return new AdvisoryError(
      `${observed}\nThe broker did not detect the malformed packet or protocol error: it went on as if the packet were valid and sent no reason code. ` +
        'MQTT 5.0 4.13.1 leaves the rigor of checking received packets to the implementation, and MQTT-4.13.1-1 binds a server that detects one: an advisory finding, not a failure.',
    );
  }

  /**
   * Closed by the broker. If the broker said why before closing (a DISCONNECT, or a CONNACK
   * no step claimed), its reason code must be `code`; with `required` it must have said so
   * with a DISCONNECT.
   */
  async closedWithReason(name: string, codes0: number[], required: boolean, withinMs?: number): Promise<void> {
    // 4.13.1: for a malformed packet or a protocol error the server uses 0x81 or 0x82 (unless a
    // more specific code is defined), so either answers a scenario that names one of them.
    const codes = codes0.some((c) => c === 0x81 || c === 0x82) ? [...new Set([...codes0, 0x81, 0x82])] : codes0;
    const info = await this.closed(name, withinMs);
    const c = this.client(name);
    const connack = c.inbox.find((p) => p.type === 'connack');
    const said = info.disconnect ?? (required ? undefined : connack);
    this.account.optionalPacket(said !== undefined, said?.type === 'connack' ? 'CONNACK' : 'DISCONNECT');
    const got = said ? (said.reasonCode ?? 0) : undefined;
    const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;
    const want = codes.map(hex).join(' or ');
    if (got === undefined && required) {
      throw new ExpectationError(
        `${name}: the broker closed the connection without a DISCONNECT (expected reason code ${want})`,
      );
    }
    if (said && !codes.includes(got!)) {
      throw new ExpectationError(
        `${name}: the broker closed the connection after ${describePacket(said)}; expected reason code ${want}`,
      );
    }
    if (said === connack && connack) c.inbox.splice(c.inbox.indexOf(connack), 1);
  }

  /**
   * Awaits the PUBACK / PUBREC with packet id `id` and requires a refusal (reason code 0x80 or
   * above). A broker that accepted the PUBLISH, or closed the connection instead of answering,
   * makes the scenario not applicable (returns 'skipped'): it is allowed to, and the scenario
   * cannot then check what follows a refusal.
   */
  async receiveRefusal(
    name: string,
    type: 'puback' | 'pubrec',
    id: number,
    withinMs?: number,
  ): Promise<'skipped' | undefined> {
    let p: Packet;
    try {
      p = await this.receive(name, { type, packetId: id }, withinMs);
    } catch (e) {
      if (!this.client(name).closed) throw e;
      return this.notApplicable(
        `the broker closed the connection instead of refusing the PUBLISH with a ${type.toUpperCase()}`,
      );
    }
    const rc = (p as { reasonCode?: number }).reasonCode ?? 0;
    return rc >= 0x80
      ? undefined
      : this.notApplicable(`the broker accepted the PUBLISH (${describePacket(p)}); the scenario needs it refused`);
  }

  /** The first packet matching any of the descriptions. */
  async receiveOneOf(name: string, specs: string[], withinMs?: number): Promise<Packet> {
    const patterns = specs.map((s) => this.withTopics(this.resolveLast(name, parsePacketSpec(s))));
    return this.remember(name, await this.client(name).expectAny(patterns, withinMs ?? this.waitMs));
  }

  async staysOpen(name: string, forMs: number): Promise<void> {
    const c = this.client(name);
    await c.expectNothing({ type: 'disconnect' }, forMs);
    if (c.closed) throw new ExpectationError(`${name}: the broker closed the connection within ${forMs} ms`);
  }

  /** Normal DISCONNECT, then close. */
  async disconnect(name: string): Promise<void> {
    const c = this.client(name);
    c.send({ type: 'disconnect' });
    await c.close(this.ms(1000));
  }

  /**
   * Drops the network connection without DISCONNECT (a Will is then published). Resolves once
   * the socket is closed, so a reconnect right after it opens a new connection.
   */
  async drop(name: string): Promise<void> {
    const c = this.client(name);
    c.destroy();
    await c.expectClosed(this.ms(1000)).catch(() => undefined);
  }

  async subscribe(name: string, filter: string, qos: QoS): Promise<void> {
    const c = this.client(name);
    const f = this.topicFilter(filter);
    const id = this.packetId(name);
    this.guardPacket({ type: 'subscribe', packetId: id, subscriptions: [{ topicFilter: f, qos }] }, c.protocolLevel);
    const ack = await subscribeFlow(c, id, f, qos, this.waitMs);
    this.noteGrant(name, { filter: f, requested: qos, granted: ack.reasonCodes[0], suback: describePacket(ack) });
  }

  async unsubscribe(name: string, filter: string): Promise<void> {
    await unsubscribeFlow(this.client(name), this.packetId(name), this.topicFilter(filter), this.waitMs);
  }

  async publish(name: string, topic: string, payload: string, qos: QoS, retain: boolean): Promise<void> {
    const t = this.topic(topic);
    const c = this.client(name);
    const id = this.packetId(name);
    const body = Buffer.from(payload);
    this.guardPacket(
      { type: 'publish', topic: t, payload: body, qos, retain, dup: false, ...(qos > 0 ? { packetId: id } : {}) },
      c.protocolLevel,
    );
    if (retain && payload !== '') this.retainedTopics.add(t);
    await publishFlow(c, id, t, body, qos, retain, this.waitMs);
  }

  /** Awaits a PUBLISH with this payload on this topic (and QoS, if given), then acknowledges it. */
  async receiveMessage(
    name: string,
    payload: string,
    topic: string,
    qos?: QoS,
    withinMs?: number,
  ): Promise<PublishPacket> {
    const pattern: PacketPattern = { type: 'publish', topic, payload };
    if (qos !== undefined) pattern.qos = qos;
    const p = (await this.receive(name, pattern, withinMs)) as PublishPacket;
    await acknowledgeFlow(this.client(name), p, this.waitMs);
    return p;
  }

  async receiveNoMessage(name: string, topic: string | undefined, forMs: number): Promise<void> {
    const pattern: PacketPattern =
      topic === undefined ? { type: 'publish' } : this.withTopics({ type: 'publish', topic });
    await this.client(name).expectNothing(pattern, forMs);
  }
}
