import { World, type IWorldOptions } from '@cucumber/cucumber';
import type * as messages from '@cucumber/messages';
import type { Packet, ProtocolLevel, PublishPacket, QoS } from '../../src/codec/index.ts';
import {
  ExpectationError, LAST_ID, PacketTrace, TargetError, TestClient, acknowledgeFlow, completePacket, describePacket, lacks,
  levelOf, mapTopics, parsePacketSpec, publishFlow, subscribeFlow, topicPrefixer, unsubscribeFlow,
  type CapabilityName, type CloseInfo, type PacketPattern,
} from '../../src/client/index.ts';
import {
  MEDIA_CAPABILITIES, MEDIA_VERDICT, TRACE_HEADING, interpretTags, pickleTagRefs,
  type VerdictAttachment,
} from '../../src/report/index.ts';
import type { SpecVersion, Statement } from '../../src/spec/index.ts';
import { hashString } from '../../src/common/index.ts';
import { runState, type RunState } from './run-state.ts';

const CAPABILITIES: readonly CapabilityName[] = [
  'qos1', 'qos2', 'retain', 'wildcardSubscriptions', 'sharedSubscriptions', 'subscriptionIdentifiers', 'topicAliases',
];

export type Credentials = 'default' | 'second' | 'none';

/**
 * The facade feature steps talk to: named clients, the scenario's protocol version,
 * prefixes for client ids and topics, scaled timeouts, capability checks and the trace.
 * Steps stay one-liners; everything protocol-shaped lives in src/client.
 */
export class ConformanceWorld extends World<Record<string, unknown>> {
  version: SpecVersion = '5.0';
  statements: Statement[] = [];
  /** Tagged @advisory, or every tagged statement is SHOULD / MAY: failures become advisory findings. */
  advisory = false;
  readonly trace = new PacketTrace();
  /** Topics are prefixed unless a step turned it off. */
  prefixTopics = true;
  private readonly clients = new Map<string, TestClient>();
  private readonly clientIds = new Map<string, string>();
  private nextId = new Map<string, number>();
  private readonly retainedTopics = new Set<string>();
  /** Per client: the last packet a step received, and the last packet id seen on one. */
  private readonly lastReceived = new Map<string, Packet>();
  private readonly lastPacketId = new Map<string, number>();
  private idPrefix = '';
  private topicPrefix = '';

  constructor(options: IWorldOptions<Record<string, unknown>>) {
    super(options);
  }

  get run(): RunState {
    return runState();
  }

  /** Protocol level of the scenario's version tag. */
  get level(): ProtocolLevel {
    return this.version === '5.0' ? 5 : 4;
  }

  /** Scales a duration by the configured time scale. */
  ms(n: number): number {
    return Math.max(1, Math.round(n * this.run.config.timeScale));
  }

  /** Default bound for a wait a step does not state: 2 s, scaled. */
  get waitMs(): number {
    return this.ms(2000);
  }

  /** Reads the scenario's tags and sets prefixes; returns 'skipped' when not applicable. */
  async begin(pickle: messages.Pickle, doc: messages.GherkinDocument): Promise<'skipped' | undefined> {
    const run = this.run;
    const tags = interpretTags(pickleTagRefs(pickle, doc), `${pickle.uri} "${pickle.name}"`);
    this.version = tags.version;
    this.statements = tags.statements;
    this.advisory = tags.advisory;
    const seq = (run.scenarioSeq++).toString(36);
    this.idPrefix = `${run.config.clientIdPrefix}m${run.runTag}${seq}`;
    this.topicPrefix = `${run.config.topicPrefix}mh/${run.runTag}/${seq}/`;
    if (!run.capabilitiesAttached) {
      run.capabilitiesAttached = true;
      this.attach(JSON.stringify({ target: run.display, capabilities: run.capabilities }), MEDIA_CAPABILITIES);
    }
    // A target that refuses this protocol version outright makes the scenario not applicable;
    // any other probe failure lets the scenario run (and fail), never pass.
    const caps = run.capabilities?.[this.version];
    if (caps?.versionRefused) return this.notApplicable(`the target refuses MQTT ${this.version} connections (${caps.error})`);
    for (const r of tags.requires) {
      if (this.requireCapability(r) === 'skipped') return 'skipped';
    }
    return undefined;
  }

  /** Marks the scenario not applicable (returns 'skipped') when the target lacks `name`. */
  requireCapability(name: string): 'skipped' | undefined {
    if (!CAPABILITIES.includes(name as CapabilityName)) {
      throw new Error(`unknown capability "${name}" (known: ${CAPABILITIES.join(', ')})`);
    }
    const caps = this.run.capabilities;
    if (!caps) return this.notApplicable(`capability discovery is off, so "${name}" cannot be checked`);
    const why = lacks(caps[this.version], name as CapabilityName);
    return why ? this.notApplicable(`${name}: ${why} (MQTT ${this.version})`) : undefined;
  }

  notApplicable(reason: string): 'skipped' {
    const v: VerdictAttachment = { kind: 'not-applicable', reason };
    this.attach(JSON.stringify(v), MEDIA_VERDICT);
    this.attach(`Not applicable: ${reason}`, 'text/plain');
    return 'skipped';
  }

  /** Records a failure of an all-SHOULD/MAY scenario; the caller reports the step as skipped. */
  advisoryFailure(e: Error): 'skipped' {
    const v: VerdictAttachment = { kind: 'advisory-failure', evidence: e.message };
    this.attach(JSON.stringify(v), MEDIA_VERDICT);
    this.attach(
      `Advisory finding: this scenario checks a recommendation (SHOULD / MAY), so its failure is reported to cucumber ` +
      `as skipped and listed under advisoryFindings in compliance.json; it does not fail ${this.statements.map((s) => s.id).join(', ')}.\n${e.message}`,
      'text/plain',
    );
    return 'skipped';
  }

  topic(t: string): string {
    return this.prefixTopics ? topicPrefixer(this.topicPrefix)(t) : t;
  }

  private withTopics<T extends PacketPattern>(p: T): T {
    return mapTopics(p, (t) => this.topic(t));
  }

  /** Replaces `packet id last` with the id of the last packet `name` received that carried one. */
  private resolveLast(name: string, p: PacketPattern): PacketPattern {
    if (p.packetId !== LAST_ID) return p;
    const id = this.lastPacketId.get(name);
    if (id === undefined) throw new Error(`"packet id last": "${name}" has not received a packet with a packet id yet`);
    return { ...p, packetId: id };
  }

  private remember(name: string, p: Packet): Packet {
    this.lastReceived.set(name, p);
    const id = (p as { packetId?: number }).packetId;
    if (id !== undefined) this.lastPacketId.set(name, id);
    return p;
  }

  /** The client id a named client uses in this scenario (stable across reconnects). */
  clientIdOf(name: string): string {
    let id = this.clientIds.get(name);
    if (!id) {
      const clean = name.replace(/[^0-9A-Za-z]/g, '');
      id = this.idPrefix + clean;
      // 3.1.1 servers need only accept 23 characters; keep names distinct when shortening.
      if (id.length > 23) id = (this.idPrefix + hashString(name).toString(36)).slice(0, 23);
      this.clientIds.set(name, id);
    }
    return id;
  }

  client(name: string): TestClient {
    const c = this.clients.get(name);
    if (!c) throw new Error(`no client "${name}" in this scenario (known: ${[...this.clients.keys()].join(', ') || 'none'})`);
    return c;
  }

  private packetId(name: string): number {
    const id = this.nextId.get(name) ?? 100;
    this.nextId.set(name, id >= 65535 ? 100 : id + 1);
    return id;
  }

  /** Opens a network connection for `name` (no MQTT traffic); a closed earlier one is replaced. */
  async open(name: string, version?: string): Promise<TestClient> {
    const old = this.clients.get(name);
    if (old && !old.closed) throw new Error(`client "${name}" already has an open connection; close it first or use another name`);
    const run = this.run;
    const c = await TestClient.open({
      url: run.url,
      connectTimeoutMs: this.ms(3000),
      caFile: run.config.caFile,
      insecure: run.config.insecure,
      name,
      protocolLevel: version ? levelOf(version) : this.level,
      trace: this.trace,
    });
    this.clients.set(name, c);
    return c;
  }

  /**
   * Sends CONNECT for `name` (opening a connection first if needed). `spec` holds CONNECT
   * fields in the packet grammar ("clean start false and session expiry 300"). Resolves with
   * the CONNECT sent; `connected` also awaits a successful CONNACK.
   */
  async sendConnect(name: string, o: { version?: string; spec?: string; credentials?: Credentials } = {}): Promise<TestClient> {
    const existing = this.clients.get(name);
    const c = existing && !existing.closed ? existing : await this.open(name, o.version);
    const pattern = parsePacketSpec(`CONNECT ${o.spec ?? ''}`) as Record<string, unknown>;
    if (typeof pattern.exactClientId === 'string') {
      pattern.clientId = pattern.exactClientId;
      delete pattern.exactClientId;
    } else if (typeof pattern.clientId === 'string') {
      pattern.clientId = pattern.clientId === '' ? '' : (this.idPrefix + pattern.clientId);
    } else pattern.clientId = this.clientIdOf(name);
    const cfg = this.run.config;
    if (pattern.username === undefined && pattern.password === undefined) {
      const cred = o.credentials ?? 'default';
      if (cred === 'second' && cfg.username2 === undefined) throw new TargetError('this scenario needs second credentials (username2 / MQTT_USERNAME2)');
      const [u, pw] = cred === 'default' ? [cfg.username, cfg.password] : cred === 'second' ? [cfg.username2, cfg.password2] : [];
      if (u !== undefined) pattern.username = u;
      if (pw !== undefined) pattern.password = Buffer.from(pw);
    }
    const level = o.version ? levelOf(o.version) : this.level;
    c.send(completePacket(this.withTopics(pattern as PacketPattern), level));
    return c;
  }

  /** CONNECT and wait for a CONNACK that accepts it. */
  async connected(name: string, o: { version?: string; spec?: string; credentials?: Credentials } = {}): Promise<void> {
    const c = await this.sendConnect(name, o);
    const ack = await c.expect({ type: 'connack' }, this.waitMs);
    if (ack.type === 'connack' && ack.reasonCode !== 0) {
      throw new ExpectationError(`${name}: connection refused: ${describePacket(ack)}`);
    }
  }

  /** Sends one packet described in the step grammar (topics prefixed, defaults filled). */
  send(name: string, spec: string | PacketPattern): void {
    const c = this.client(name);
    const pattern = this.resolveLast(name, typeof spec === 'string' ? parsePacketSpec(spec) : spec);
    const p = completePacket(this.withTopics(pattern), c.protocolLevel);
    if (p.type === 'publish' && p.retain && p.payload.length > 0) this.retainedTopics.add(p.topic);
    c.send(p);
  }

  sendRaw(name: string, hex: string): void {
    this.client(name).sendRaw(hex);
  }

  async receive(name: string, spec: string | PacketPattern, withinMs?: number): Promise<Packet> {
    const pattern = this.resolveLast(name, typeof spec === 'string' ? parsePacketSpec(spec) : spec);
    return this.remember(name, await this.client(name).expect(this.withTopics(pattern), withinMs ?? this.waitMs));
  }

  /** Completes the QoS flow of the last PUBLISH `name` received (PUBACK, or PUBREC / PUBREL / PUBCOMP). */
  async acknowledgeLast(name: string): Promise<void> {
    const p = this.lastReceived.get(name);
    if (!p || p.type !== 'publish') throw new Error(`"${name}" has not received a PUBLISH in this scenario`);
    await acknowledgeFlow(this.client(name), p, this.waitMs);
  }

  async receiveNext(name: string, spec: string | PacketPattern, withinMs?: number): Promise<Packet> {
    const pattern = this.resolveLast(name, typeof spec === 'string' ? parsePacketSpec(spec) : spec);
    return this.remember(name, await this.client(name).expectNext(this.withTopics(pattern), withinMs ?? this.waitMs));
  }

  /** Closed by the broker with no packet received that no step claimed (no CONNACK, no DISCONNECT...). */
  async closedSilently(name: string, withinMs?: number): Promise<void> {
    await this.closed(name, withinMs);
    const c = this.client(name);
    if (c.inbox.length > 0) {
      throw new ExpectationError(`${name}: the broker sent ${c.inbox.map(describePacket).join('; ')} before closing; expected no packet`);
    }
  }

  async receiveNothing(name: string, spec: string | undefined, forMs: number): Promise<void> {
    const pattern = spec ? this.withTopics(parsePacketSpec(spec)) : undefined;
    await this.client(name).expectNothing(pattern, forMs);
  }

  async closed(name: string, withinMs?: number): Promise<CloseInfo> {
    const info = await this.client(name).expectClosed(withinMs ?? this.waitMs);
    if (info.byUs) throw new Error(`the connection of "${name}" was closed by the test itself, not by the broker`);
    return info;
  }

  /**
   * Closed by the broker. If the broker said why before closing (a DISCONNECT, or a CONNACK
   * no step claimed), its reason code must be `code`; with `required` it must have said so
   * with a DISCONNECT.
   */
  async closedWithReason(name: string, codes: number[], required: boolean, withinMs?: number): Promise<void> {
    const info = await this.closed(name, withinMs);
    const c = this.client(name);
    const connack = c.inbox.find((p) => p.type === 'connack');
    const said = info.disconnect ?? (required ? undefined : connack);
    const got = said ? (said.reasonCode ?? 0) : undefined;
    const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;
    const want = codes.map(hex).join(' or ');
    if (got === undefined && required) {
      throw new ExpectationError(`${name}: the broker closed the connection without a DISCONNECT (expected reason code ${want})`);
    }
    if (said && !codes.includes(got!)) {
      throw new ExpectationError(`${name}: the broker closed the connection after ${describePacket(said)}; expected reason code ${want}`);
    }
    if (said === connack && connack) c.inbox.splice(c.inbox.indexOf(connack), 1);
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

  /** Drops the network connection without DISCONNECT (a Will is then published). */
  drop(name: string): void {
    this.client(name).destroy();
  }

  async subscribe(name: string, filter: string, qos: QoS): Promise<void> {
    await subscribeFlow(this.client(name), this.packetId(name), this.topic(filter), qos, this.waitMs);
  }

  async unsubscribe(name: string, filter: string): Promise<void> {
    await unsubscribeFlow(this.client(name), this.packetId(name), this.topic(filter), this.waitMs);
  }

  async publish(name: string, topic: string, payload: string, qos: QoS, retain: boolean): Promise<void> {
    const t = this.topic(topic);
    if (retain && payload !== '') this.retainedTopics.add(t);
    await publishFlow(this.client(name), this.packetId(name), t, Buffer.from(payload), qos, retain, this.waitMs);
  }

  /** Awaits a PUBLISH with this payload on this topic (and QoS, if given), then acknowledges it. */
  async receiveMessage(name: string, payload: string, topic: string, qos?: QoS, withinMs?: number): Promise<PublishPacket> {
    const pattern: PacketPattern = { type: 'publish', topic, payload };
    if (qos !== undefined) pattern.qos = qos;
    const p = (await this.receive(name, pattern, withinMs)) as PublishPacket;
    await acknowledgeFlow(this.client(name), p, this.waitMs);
    return p;
  }

  async receiveNoMessage(name: string, topic: string | undefined, forMs: number): Promise<void> {
    const pattern: PacketPattern = topic === undefined ? { type: 'publish' } : this.withTopics({ type: 'publish', topic });
    await this.client(name).expectNothing(pattern, forMs);
  }

  /** A fail-fast check after every step: server packets that broke the codec's rules. */
  violationError(): Error | undefined {
    const found = [...this.clients.values()].flatMap((c) => c.unexpectedViolations().map((v) => ({ c, v })));
    if (found.length === 0) return undefined;
    return new ExpectationError(
      found.map(({ c, v }) => `${c.name} received a packet that breaks ${v.violation.statement.id} (MQTT ${v.violation.statement.version}): ${v.violation.message} [${v.hex.slice(0, 64)}]`).join('\n'),
    );
  }

  /** Attaches the trace (on failure), clears retained messages the scenario left, closes every client. */
  async end(failed: boolean): Promise<void> {
    if (failed || this.trace.entries.length > 0 && this.advisoryFailed) {
      this.attach(`${TRACE_HEADING} (MQTT ${this.version}, times from scenario start)\n${this.trace.format()}`, 'text/plain');
    }
    const clients = [...this.clients.values()];
    await Promise.all(clients.map((c) => c.close(this.ms(500)).catch(() => undefined)));
    if (this.retainedTopics.size > 0) await this.clearRetained().catch(() => undefined);
  }

  /** Set by the step wrapper when an advisory failure was recorded. */
  advisoryFailed = false;

  private async clearRetained(): Promise<void> {
    const c = await TestClient.open({
      url: this.run.url, connectTimeoutMs: this.ms(2000), caFile: this.run.config.caFile, insecure: this.run.config.insecure, name: 'cleanup',
    });
    try {
      await c.connect({ level: 4, clientId: `${this.idPrefix}cln`, username: this.run.config.username, password: this.run.config.password }, this.ms(2000));
      for (const t of this.retainedTopics) c.send({ type: 'publish', topic: t, payload: Buffer.alloc(0), qos: 0, retain: true, dup: false });
      c.send({ type: 'disconnect' });
    } finally {
      await c.close(this.ms(500));
    }
  }
}
