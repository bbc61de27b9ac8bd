import type { Packet, PublishPacket, QoS } from '../../src/codec/index.ts';
import {
  acknowledgeFlow,
  describePacket,
  publishFlow,
  subscribeFlow,
  unsubscribeFlow,
  type PacketPattern,
} from '../../src/client/index.ts';
import { WorldClose } from './world-close.ts';

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
}
