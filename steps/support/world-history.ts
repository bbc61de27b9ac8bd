import type { ConnackPacket, Packet, PublishPacket, QoS } from '../../src/codec/index.ts';
import { ExpectationError, describePacket, type TraceEntry } from '../../src/client/index.ts';
import { WorldMessages } from './world-messages.ts';

/** What a 5.0 CONNACK may declare, as steps name it (`Given the broker's CONNACK declares …`). */
export const DECLARATIONS = [
  'a maximum QoS below 2',
  'a maximum QoS of 0',
  'retain available 0',
  'wildcard subscription available 0',
  'shared subscription available 0',
  'subscription identifier available 0',
  'a maximum packet size',
  'no topic alias maximum',
  'a receive maximum below 65535',
] as const;
export type Declaration = (typeof DECLARATIONS)[number];

/**
 * What a client has received in this scenario, read from the packet trace (every packet, also
 * those no step claimed): for steps that check a property of everything received, or read a
 * value the broker declared (its CONNACK, an assigned client identifier).
 */
export class WorldHistory extends WorldMessages {
  /** Every packet `name` received so far, in arrival order, with its wire size. */
  received(name: string): Array<{ packet: Packet; bytes: number }> {
    return this.trace.entries
      .filter((e: TraceEntry) => e.client === name && e.direction === 'received' && e.packet !== undefined)
      .map((e) => ({ packet: e.packet!, bytes: e.hex ? e.hex.length / 2 : 0 }));
  }

  /** Every packet `name` received so far, without sizes. */
  receivedPackets(name: string): Packet[] {
    return this.received(name).map((r) => r.packet);
  }

  /** Packets `name` received on its current connection (after its last CONNACK). */
  receivedSinceConnack(name: string): Packet[] {
    const all = this.receivedPackets(name);
    return all.slice(all.map((p) => p.type).lastIndexOf('connack') + 1);
  }

  /** The last CONNACK `name` received. */
  connackOf(name: string): ConnackPacket {
    const ack = this.receivedPackets(name)
      .reverse()
      .find((p): p is ConnackPacket => p.type === 'connack');
    if (!ack) throw new Error(`"${name}" has received no CONNACK in this scenario`);
    return ack;
  }

  /** The Maximum QoS of the last CONNACK `name` received (2 when absent). */
  maxQosOf(name: string): QoS {
    return (this.connackOf(name).properties?.maximumQoS ?? 2) as QoS;
  }

  /** The last QoS 1 / 2 PUBLISH with this payload that `name` received (to acknowledge it). */
  publishWithPayload(name: string, payload: string): PublishPacket {
    const p = this.receivedPackets(name)
      .reverse()
      .find((x): x is PublishPacket => x.type === 'publish' && x.payload.toString() === payload);
    if (!p) throw new Error(`"${name}" has received no PUBLISH with payload "${payload}"`);
    if (p.packetId === undefined)
      throw new Error(`the PUBLISH "${payload}" that "${name}" received is QoS 0; there is nothing to acknowledge`);
    return p;
  }

  /** The Assigned Client Identifier `name` got; not applicable when the broker refused the empty id (0x85 is allowed). */
  assignedIdOf(name: string): string | 'skipped' {
    const ack = this.connackOf(name);
    if (ack.reasonCode === 0x85)
      return this.notApplicable(
        'the broker does not accept an empty client identifier (CONNACK 0x85), which it may refuse',
      );
    const id = ack.properties?.assignedClientIdentifier;
    if (ack.reasonCode !== 0 || id === undefined)
      throw new ExpectationError(
        `${name} connected with an empty client identifier but got ${describePacket(ack)}; expected an Assigned Client Identifier`,
      );
    return id;
  }

  /** Not applicable (returns 'skipped') unless the broker's 5.0 CONNACK (capability probe) declared `what`. */
  requireDeclared(what: Declaration): 'skipped' | undefined {
    const caps = this.run.capabilities?.['5.0'];
    if (!caps) return this.notApplicable(`capability discovery is off, so "${what}" cannot be checked`);
    if (!caps.supported)
      return this.notApplicable(`the target did not accept MQTT 5.0${caps.error ? ` (${caps.error})` : ''}`);
    const ok: Record<Declaration, boolean> = {
      'a maximum QoS below 2': caps.maximumQoS < 2,
      'a maximum QoS of 0': caps.maximumQoS === 0,
      'retain available 0': !caps.retainAvailable,
      'wildcard subscription available 0': !caps.wildcardSubscriptions,
      'shared subscription available 0': !caps.sharedSubscriptions,
      'subscription identifier available 0': !caps.subscriptionIdentifiers,
      'a maximum packet size': caps.maximumPacketSize !== undefined,
      'no topic alias maximum': caps.topicAliasMaximum === 0,
      'a receive maximum below 65535': caps.receiveMaximum < 65535,
    };
    return ok[what] ? undefined : this.notApplicable(`the broker's CONNACK does not declare ${what}`);
  }

  /**
   * Every PUBLISH `name` received used topic aliases 1..max, and resolving them (new mapping when
   * a topic is given, lookup when it is empty) gives topic `topic` for every listed payload.
   */
  checkTopicAliases(name: string, max: number, payloads: string[], topic: string): void {
    const map = new Map<number, string>();
    const got = new Map<string, string>();
    for (const p of this.receivedPackets(name)) {
      if (p.type === 'connack') map.clear(); // a new connection starts without mappings (3.3.2-7)
      if (p.type !== 'publish') continue;
      const alias = p.properties?.topicAlias;
      let t = p.topic;
      if (alias !== undefined) {
        if (alias < 1 || alias > max)
          throw new ExpectationError(`${name} allowed topic aliases up to ${max} but received ${describePacket(p)}`);
        if (t === '') {
          const m = map.get(alias);
          if (m === undefined)
            throw new ExpectationError(
              `${name} received ${describePacket(p)}: topic alias ${alias} was never mapped on this connection`,
            );
          t = m;
        } else map.set(alias, t);
      } else if (t === '')
        throw new ExpectationError(`${name} received a PUBLISH with an empty topic and no topic alias`);
      got.set(p.payload.toString(), t);
    }
    const want = this.topic(topic);
    for (const pl of payloads) {
      const t = got.get(pl);
      if (t === undefined) throw new ExpectationError(`${name} did not receive "${pl}"`);
      if (t !== want)
        throw new ExpectationError(
          `${name} received "${pl}" on topic "${t}" after resolving topic aliases; expected "${want}"`,
        );
    }
  }
}
