import type * as messages from '@cucumber/messages';
import type { Packet } from '../../src/codec/index.ts';
import { LAST_ID, TestClient, mapTopics, topicPrefixer, type PacketPattern } from '../../src/client/index.ts';
import {
  MEDIA_CAPABILITIES,
  MEDIA_SCENARIO,
  TRACE_HEADING,
  interpretTags,
  pickleTagRefs,
} from '../../src/report/index.ts';
import { findStatement, type Statement } from '../../src/spec/index.ts';
import { hashString } from '../../src/common/index.ts';
import { DELIBERATE_LIMIT_STEP } from './capability-guard.ts';
import { ScenarioAccount } from './scenario-account.ts';
import { ViolationError } from './failure-classes.ts';
import { WorldGates } from './world-gates.ts';

/**
 * Steps that handle acknowledgements themselves (or count what stays unacknowledged): in a
 * scenario with one of them, clients do not acknowledge deliveries on arrival.
 */
export const MANUAL_ACK_STEP =
  /\bsends (?:PUBACK|PUBREC|PUBCOMP)\b|acknowledg|answers the PUBLISH|dup true|receive maximum|has received (?:exactly|at most)|withhold/i;

/**
 * The scenario state under the conformance World: the scenario's start from its tags,
 * per-scenario client-id and topic prefixes, named clients, the last packet each received,
 * and the end-of-scenario clean-up. The layers below (world-gates.ts, world-verdicts.ts) hold
 * gates and verdicts; the operations steps call are in the layers above (world.ts lists them).
 */
export class WorldBase extends WorldGates {
  /** Topics are prefixed unless a step turned it off. */
  prefixTopics = true;
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
