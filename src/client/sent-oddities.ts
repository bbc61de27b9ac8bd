import { bodyOffset, type ProtocolViolation } from '../codec/index.ts';

/**
 * What a client sent that a broker's answer may mirror although the codec flags it: a Packet
 * Identifier 0, a SUBSCRIBE without filters (the echo is then what 2.3.1-6 / -7 and 3.8.4-5 ask
 * for, and the scenario's own check decides).
 */
export class SentOddities {
  private readonly seen = new Set<'zero-id' | 'empty-subscribe'>();

  /** Remembers a Packet Identifier 0 or an empty SUBSCRIBE among raw bytes sent. */
  note(b: Buffer): void {
    const type = b[0] >> 4;
    const body = bodyOffset(b);
    if (body < 0) return;
    const rl = b.length - body;
    if (type === 3 && ((b[0] >> 1) & 3) > 0 && b.length > body + 1) {
      const at = body + 2 + b.readUInt16BE(body);
      if (at + 2 <= b.length && b.readUInt16BE(at) === 0) this.seen.add('zero-id');
    } else if ((type === 8 || type === 10) && rl >= 2) {
      if (b.readUInt16BE(body) === 0) this.seen.add('zero-id');
      if (type === 8 && rl === 2) this.seen.add('empty-subscribe');
    }
  }

  /** Whether a codec violation only mirrors what this client sent. */
  mirrors(v: ProtocolViolation): boolean {
    const id = v.statement.id;
    if (this.seen.has('zero-id') && ['MQTT-2.3.1-6', 'MQTT-2.3.1-7', 'MQTT-2.2.1-5', 'MQTT-2.2.1-6'].includes(id))
      return true;
    return this.seen.has('empty-subscribe') && id === 'MQTT-3.9.3-2';
  }
}
