/**
 * QoS 2 receive state for one session (client -> server), method A of 4.3.3: the message
 * is routed when the PUBLISH first arrives, its packet id is remembered until PUBREL, and a
 * repeated PUBLISH with that id is answered with PUBREC but not routed again. Pure.
 */
export type Qos2Publish = 'new' | 'duplicate';

export class InboundQos {
  private ids: Set<number> | null = null;
  /** Packet ids for which PUBREC was sent and PUBREL not yet received (allocated on first use). */
  get awaitingRel(): Set<number> {
    return (this.ids ??= new Set());
  }

  /** A QoS 2 PUBLISH arrived: route it only when 'new' (4.3.3-10 / 3.1.1 4.3.3-2). */
  publish(packetId: number): Qos2Publish {
    if (this.awaitingRel.has(packetId)) return 'duplicate';
    this.awaitingRel.add(packetId);
    return 'new';
  }

  /** A PUBLISH was refused with a PUBREC error code: the id is free again (4.3.3-9). */
  refuse(packetId: number): void {
    this.awaitingRel.delete(packetId);
  }

  /** PUBREL arrived: answer PUBCOMP; `known` false means reason 0x92 at 5.0. */
  pubrel(packetId: number): { known: boolean } {
    return { known: this.ids !== null && this.ids.delete(packetId) };
  }

  get size(): number {
    return this.ids === null ? 0 : this.ids.size;
  }

  has(packetId: number): boolean {
    return this.ids !== null && this.ids.has(packetId);
  }

  clear(): void {
    this.ids = null;
  }
}
