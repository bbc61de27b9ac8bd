import type { Packet } from '../codec/packet-types.ts';

/**
 * Acknowledges QoS 1 / 2 deliveries on arrival, as real clients do: PUBACK; PUBREC, then PUBCOMP
 * on the PUBREL. Remembers what it acknowledged, so that acknowledgeFlow leaves those alone.
 */
export class AutoAcker {
  private readonly acked = new WeakSet<Packet>();
  /** Packet ids of QoS 2 deliveries answered with PUBREC on arrival, awaiting PUBREL. */
  private readonly awaitingRel = new Set<number>();

  constructor(private readonly send: (p: Packet) => void) {}

  /** Whether this delivery was acknowledged on arrival. */
  acknowledged(p: Packet): boolean {
    return this.acked.has(p);
  }

  /** Acknowledges a delivery; true for a PUBREL it completed (consumed, not delivered to steps). */
  onArrival(p: Packet): boolean {
    if (p.type === 'publish' && p.qos > 0 && p.packetId !== undefined) {
      this.acked.add(p);
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
}
