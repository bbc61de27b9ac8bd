import type { Packet, PublishPacket, QoS, SubackPacket } from '../../src/codec/index.ts';
import {
  ExpectationError,
  TestClient,
  matches,
  acknowledgeFlow,
  describePacket,
  publishFlow,
  subscribeFlow,
  unsubscribeFlow,
  type PacketPattern,
} from '../../src/client/index.ts';
import { WorldClose, hex } from './world-close.ts';

/**
 * Messages: subscribing (noting what each SUBACK granted), publishing with the full QoS flow,
 * receiving and acknowledging deliveries, and a PUBLISH the broker refuses.
 */
export class WorldMessages extends WorldClose {
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

  /** Completes the QoS flow of the last PUBLISH `name` received (PUBACK, or PUBREC / PUBREL / PUBCOMP). */
  async acknowledgeLast(name: string): Promise<void> {
    const p = this.lastReceived.get(name);
    if (!p || p.type !== 'publish') throw new Error(`"${name}" has not received a PUBLISH in this scenario`);
    await acknowledgeFlow(this.client(name), p, this.waitMs);
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

  /**
   * A SUBACK for `id` with only failure codes, or a close by the broker (with a failure code if it
   * says one); with `codes`, the SUBACK's or the DISCONNECT's codes must be among them.
   */
  async subscriptionRefused(name: string, id: number, ms: number, codes?: number[]): Promise<void> {
    const c: TestClient = this.client(name);
    let ack: SubackPacket;
    try {
      ack = (await c.expect({ type: 'suback', packetId: id }, ms)) as SubackPacket;
    } catch (e) {
      if (!c.closed) throw e;
      return this.closedWithFailure(name, ms, codes);
    }
    const granted = ack.reasonCodes.filter((rc) => rc < 0x80);
    if (ack.reasonCodes.length === 0 || granted.length > 0) {
      const m = `${name}: the broker accepted the subscription (${describePacket(ack)}); expected a failure reason code or the connection to be closed`;
      throw this.undetected(name, m) ?? new ExpectationError(m);
    }
    if (codes && ack.reasonCodes.some((rc) => !codes.includes(rc))) {
      throw new ExpectationError(
        `${name}: the broker refused with ${describePacket(ack)}; expected ${codes.map(hex).join(' or ')}`,
      );
    }
  }

  /**
   * Shared subscriptions: the message reaches exactly one of the named clients (counting every
   * copy each received), the first copy within the bound, then a quiet 300 ms (scaled) for
   * stray copies. The copy is then acknowledged as its QoS asks.
   */
  async exactlyOneReceives(
    names: string[],
    payload: string,
    topic: string,
    qos: number | undefined,
    ms: number,
  ): Promise<void> {
    const pattern: PacketPattern = { type: 'publish', topic: this.topic(topic), payload };
    if (qos !== undefined) pattern.qos = qos;
    const clients = names.map((n) => this.client(n));
    const hits = (): Array<{ c: TestClient; p: PublishPacket }> =>
      clients.flatMap((c) => c.inbox.filter((p) => matches(p, pattern)).map((p) => ({ c, p: p as PublishPacket })));
    const deadline = Date.now() + ms;
    while (hits().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (hits().length === 0)
      throw new ExpectationError(`none of ${names.join(', ')} received ${describePacket(pattern)} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, this.ms(300)));
    const found = hits();
    if (found.length !== 1) {
      throw new ExpectationError(
        `expected exactly one copy of ${describePacket(pattern)} among ${names.join(', ')}, got ${found.length}: ${found.map((h) => h.c.name).join(', ')}`,
      );
    }
    const { c, p } = found[0];
    c.inbox.splice(c.inbox.indexOf(p), 1);
    await acknowledgeFlow(c, p, this.waitMs);
  }
}
