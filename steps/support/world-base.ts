import { World, type IWorldOptions } from '@cucumber/cucumber';
import type * as messages from '@cucumber/messages';
import type { Packet, ProtocolLevel } from '../../src/codec/index.ts';
import {
  LAST_ID,
  PacketTrace,
  TestClient,
  lacks,
  mapTopics,
  topicPrefixer,
  type CapabilityName,
  type PacketPattern,
} from '../../src/client/index.ts';
import {
  MEDIA_CAPABILITIES,
  MEDIA_VERDICT,
  TRACE_HEADING,
  interpretTags,
  pickleTagRefs,
  type VerdictAttachment,
} from '../../src/report/index.ts';
import { findStatement, type SpecVersion, type Statement } from '../../src/spec/index.ts';
import { hashString } from '../../src/common/index.ts';
import { runState, targetAlive, type RunState } from './run-state.ts';
import {
  DELIBERATE_LIMIT_STEP,
  NotApplicableError,
  grantNeeds,
  packetNeeds,
  patternNeeds,
  type Grant,
} from './capability-guard.ts';
import { topicMatches } from '../../src/codec/index.ts';
import { ScenarioAccount } from './scenario-account.ts';
import { ViolationError, classifyFailure } from './failure-classes.ts';
import { MEDIA_SCENARIO } from '../../src/report/index.ts';

const CAPABILITIES: readonly CapabilityName[] = [
  'qos1',
  'qos2',
  'retain',
  'wildcardSubscriptions',
  'sharedSubscriptions',
  'subscriptionIdentifiers',
  'topicAliases',
];

/**
 * The scenario state under the conformance World: version and statements from the tags,
 * per-scenario client-id and topic prefixes, named clients, scaled timeouts, verdict
 * attachments (not applicable, advisory), the shared packet trace and the end-of-scenario
 * clean-up. The protocol-facing operations steps call are in world.ts.
 */
/**
 * Steps that handle acknowledgements themselves (or count what stays unacknowledged): in a
 * scenario with one of them, clients do not acknowledge deliveries on arrival.
 */
export const MANUAL_ACK_STEP =
  /\bsends (?:PUBACK|PUBREC|PUBCOMP)\b|acknowledg|answers the PUBLISH|dup true|receive maximum|has received (?:exactly|at most)|withhold/i;

export class WorldBase extends World<Record<string, unknown>> {
  version: SpecVersion = '5.0';
  statements: Statement[] = [];
  /** Tagged @advisory, or every tagged statement is SHOULD / MAY: failures become advisory findings. */
  advisory = false;
  readonly trace = new PacketTrace();
  /** Topics are prefixed unless a step turned it off. */
  prefixTopics = true;
  /**
   * Implicit capability gating (capability-guard.ts) is on unless the scenario deliberately
   * goes past a limit the broker declared (DELIBERATE_LIMIT_STEP).
   */
  guardCapabilities = true;
  /**
   * Clients acknowledge QoS 1 / 2 deliveries on arrival, as real clients do (a broker may keep
   * one message in flight and wait for it); off in scenarios with a MANUAL_ACK_STEP.
   */
  autoAck = true;
  protected readonly clients = new Map<string, TestClient>();
  protected readonly clientIds = new Map<string, string>();
  protected nextId = new Map<string, number>();
  protected readonly retainedTopics = new Set<string>();
  /** Per client: the last packet a step received, and the last packet id seen on one. */
  protected readonly lastReceived = new Map<string, Packet>();
  protected readonly lastPacketId = new Map<string, number>();
  protected idPrefix = '';
  protected topicPrefix = '';
  /** Which statements each step checks and what each concluded (scenario-account.ts). */
  account = new ScenarioAccount('5.0', [], false);
  /** "features/x.feature:12 name", for findings. */
  private scenarioLabel = '';

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
    this.trace.addSecrets([run.config.password, run.config.password2]);
    const tags = interpretTags(pickleTagRefs(pickle, doc), `${pickle.uri} "${pickle.name}"`);
    this.version = tags.version;
    this.statements = tags.statements;
    this.advisory = tags.advisory;
    this.account = ScenarioAccount.plan(pickle, doc, tags.version, tags.statements, tags.advisory);
    this.scenarioLabel = `${pickle.uri} "${pickle.name}"`;
    if (run.down) {
      return this.inconclusive(
        'target-down',
        `the target stopped answering after ${run.down.after}; this scenario was not run`,
      );
    }
    this.guardCapabilities = !pickle.steps.some((s) => DELIBERATE_LIMIT_STEP.test(s.text));
    this.autoAck = !pickle.steps.some((s) => MANUAL_ACK_STEP.test(s.text));
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
    if (caps?.versionRefused)
      return this.notApplicable(`the target refuses MQTT ${this.version} connections (${caps.error})`);
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
    // A 3.1.1 broker cannot declare a maximum QoS: what it grants a subscription gates the
    // deliveries to that subscription (guardPattern), and the inbound QoS flows are never gated.
    if ((name === 'qos1' || name === 'qos2') && this.version === '3.1.1')
      return caps['3.1.1'].supported
        ? undefined
        : this.notApplicable(`${name}: ${lacks(caps['3.1.1'], name)} (MQTT 3.1.1)`);
    const c = caps[this.version];
    const why = lacks(c, name as CapabilityName);
    const by = c.declaredBy
      ? `; declared by ${c.declaredBy}`
      : c.maximumQoSSource === 'suback'
        ? '; found by the capability probe'
        : '';
    return why ? this.notApplicable(`${name}: ${why} (MQTT ${this.version}${by})`) : undefined;
  }

  /** The target's capabilities at a protocol level (undefined when discovery is off). */
  capabilitiesAt(level: ProtocolLevel) {
    return this.run.capabilities?.[level === 5 ? '5.0' : '3.1.1'];
  }

  /** Throws NotApplicableError when sending `p` needs a capability the target lacks (see capability-guard.ts). */
  protected guardPacket(p: Packet, level: ProtocolLevel): void {
    const caps = this.guardCapabilities ? this.capabilitiesAt(level) : undefined;
    const why = caps && packetNeeds(caps, p, level);
    if (why)
      throw new NotApplicableError(
        `${why} (MQTT ${level === 5 ? '5.0' : '3.1.1'}${caps?.declaredBy ? `; declared by ${caps.declaredBy}` : ''})`,
      );
  }

  /** Clients that sent a raw CONNECT without a user name (raw bytes cannot carry the target's credentials). */
  protected readonly rawConnects = new Set<string>();

  /**
   * A raw CONNECT without credentials refused for authentication by a target that requires
   * credentials: the harness could not say what the scenario meant to, so it is inconclusive.
   */
  private refusedRawConnect(): string | undefined {
    if (this.run.config.username === undefined) return undefined;
    for (const e of this.trace.entries) {
      const p = e.packet;
      if (
        e.direction === 'received' &&
        p?.type === 'connack' &&
        this.rawConnects.has(e.client) &&
        [4, 5, 0x86, 0x87].includes(p.reasonCode)
      ) {
        return `${e.client}'s raw CONNECT carries no credentials, and the target refused it for authentication (CONNACK reason code 0x${p.reasonCode.toString(16).padStart(2, '0')}); the target requires the credentials the raw bytes cannot carry`;
      }
    }
    return undefined;
  }

  /** Per client: the subscriptions its steps made and the QoS each SUBACK granted. */
  protected readonly grants = new Map<string, Grant[]>();

  /** Records what a SUBACK granted, so that deliveries above it are not expected (guardPattern). */
  protected noteGrant(name: string, g: Grant): void {
    this.grants.set(name, [...(this.grants.get(name) ?? []).filter((x) => x.filter !== g.filter), g]);
  }

  /**
   * Throws NotApplicableError when expecting a packet like `p` needs a capability the target
   * lacks: a delivery above the Maximum QoS a 5.0 CONNACK declared, or above what the SUBACK
   * granted every matching subscription of the client.
   */
  protected guardPattern(p: PacketPattern, level: ProtocolLevel, name?: string): void {
    if (!this.guardCapabilities) return;
    const caps = this.capabilitiesAt(level);
    let why = caps && patternNeeds(caps, p, level);
    if (why && caps?.declaredBy) why += `; declared by ${caps.declaredBy}`;
    if (!why && name && p.type === 'publish' && typeof p.qos === 'number' && typeof p.topic === 'string') {
      why = grantNeeds(this.grants.get(name) ?? [], p.topic, p.qos, topicMatches);
    }
    if (why) throw new NotApplicableError(`${why} (MQTT ${level === 5 ? '5.0' : '3.1.1'})`);
  }

  /** Declares the statements the running step checks (it then counts as a checking step). */
  checks(ids: readonly string[]): void {
    this.account.declare(ids);
  }

  /** Ends the scenario as inconclusive (reported to cucumber as skipped), with the cause. */
  inconclusive(cause: import('../../src/common/index.ts').InconclusiveCause, message: string): 'skipped' {
    this.account.stepEnded('inconclusive', { cause, detail: message });
    this.attach(`Inconclusive (${cause}): ${message}`, 'text/plain');
    return 'skipped';
  }

  /**
   * Sorts a step's error (see failure-classes.ts): returns the error to rethrow for a failed
   * check, or 'skipped' when the scenario ends advisory or inconclusive.
   */
  async stepFailed(err: Error): Promise<Error | 'skipped'> {
    const run = this.run;
    const refused = this.refusedRawConnect();
    if (refused) return this.inconclusive('auth-refused', `${refused}\n${err.message}`);
    const c = await classifyFailure(err, {
      stepStatements: this.account.stepStatements,
      advisoryFor: (st) => this.account.advisoryFor(st),
      targetAlive: () => targetAlive(run),
    });
    const detail = err.message;
    if (c.outcome === 'failed') {
      this.account.stepEnded('failed', { statements: c.statements, detail });
      return err;
    }
    if (c.outcome === 'advisory') {
      this.account.stepEnded('advisory', { statements: c.statements, detail });
      this.advisoryFailed = true;
      return this.advisoryFailure(err);
    }
    if (c.cause === 'target-down' && !run.down) {
      run.down = { after: run.lastScenario ?? 'the start of the run' };
      this.account.runFinding = `the broker stopped answering after ${run.down.after} (first noticed in ${this.scenarioLabel})`;
    }
    return this.inconclusive(c.cause ?? 'harness-error', detail);
  }

  notApplicable(reason: string): 'skipped' {
    this.account.stepEnded('not-applicable', { detail: reason });
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

  /** A topic filter: like `topic`, and `$share/<group>/<filter>` gets the prefix on its filter part. */
  topicFilter(f: string): string {
    const m = /^(\$share\/[^/]*\/)(.*)$/s.exec(f);
    return m ? m[1] + this.topic(m[2]) : this.topic(f);
  }

  protected withTopics<T extends PacketPattern>(p: T): T {
    return mapTopics(p, (t) => this.topic(t));
  }

  /** Replaces `packet id last` with the id of the last packet `name` received that carried one. */
  protected resolveLast(name: string, p: PacketPattern): PacketPattern {
    if (p.packetId !== LAST_ID) return p;
    const id = this.lastPacketId.get(name);
    if (id === undefined) throw new Error(`"packet id last": "${name}" has not received a packet with a packet id yet`);
    return { ...p, packetId: id };
  }

  /** The last packet a step received for `name` (for steps that check one more field of it). */
  lastPacket(name: string): Packet {
    const p = this.lastReceived.get(name);
    if (!p) throw new Error(`"${name}" has not received a packet in a step of this scenario yet`);
    return p;
  }

  protected remember(name: string, p: Packet): Packet {
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
    if (!c)
      throw new Error(`no client "${name}" in this scenario (known: ${[...this.clients.keys()].join(', ') || 'none'})`);
    return c;
  }

  protected packetId(name: string): number {
    const id = this.nextId.get(name) ?? 100;
    this.nextId.set(name, id >= 65535 ? 100 : id + 1);
    return id;
  }

  /** A fail-fast check after every step: server packets that broke the codec's rules. */
  violationError(): Error | undefined {
    const found = [...this.clients.values()].flatMap((c) => c.unexpectedViolations().map((v) => ({ c, v })));
    if (found.length === 0) return undefined;
    return new ViolationError(
      found
        .map(
          ({ c, v }) =>
            `${c.name} received a packet that breaks ${v.violation.statement.id} (MQTT ${v.violation.statement.version}): ${v.violation.message} [${v.hex.slice(0, 64)}]`,
        )
        .join('\n'),
      [
        ...new Set(
          found
            .map(({ v }) => findStatement(v.violation.statement.version, v.violation.statement.id))
            .filter((x): x is Statement => x !== undefined),
        ),
      ],
    );
  }

  /** Attaches the trace (on failure), clears retained messages the scenario left, closes every client. */
  async end(failed: boolean): Promise<void> {
    this.run.lastScenario = this.scenarioLabel;
    this.attach(JSON.stringify(this.account.finish()), MEDIA_SCENARIO);
    if (failed || this.account.ended || (this.trace.entries.length > 0 && this.advisoryFailed)) {
      this.attach(
        `${TRACE_HEADING} (MQTT ${this.version}, times from scenario start)\n${this.trace.format()}`,
        'text/plain',
      );
    }
    const clients = [...this.clients.values()];
    await Promise.all(clients.map((c) => c.close(this.ms(500)).catch(() => undefined)));
    if (this.retainedTopics.size > 0) await this.clearRetained().catch(() => undefined);
  }

  /** Set by the step wrapper when an advisory failure was recorded. */
  advisoryFailed = false;

  private async clearRetained(): Promise<void> {
    const c = await TestClient.open({
      url: this.run.url,
      connectTimeoutMs: this.ms(2000),
      caFile: this.run.config.caFile,
      insecure: this.run.config.insecure,
      name: 'cleanup',
    });
    try {
      await c.connect(
        {
          level: 4,
          clientId: `${this.idPrefix}cln`,
          username: this.run.config.username,
          password: this.run.config.password,
        },
        this.ms(2000),
      );
      for (const t of this.retainedTopics)
        c.send({ type: 'publish', topic: t, payload: Buffer.alloc(0), qos: 0, retain: true, dup: false });
      c.send({ type: 'disconnect' });
    } finally {
      await c.close(this.ms(500));
    }
  }
}
