import type { Packet } from '../codec/packet-types.ts';
import type { ProtocolViolation } from '../codec/violation.ts';
import { describePacket } from './pattern.ts';
import { redactValue } from '../common/redact.ts';

export type TraceDirection = 'sent' | 'received' | 'event';

export interface TraceEntry {
  /** Milliseconds since the trace began. */
  atMs: number;
  client: string;
  direction: TraceDirection;
  packet?: Packet;
  /** Wire bytes, hex. */
  hex?: string;
  violation?: ProtocolViolation;
  note?: string;
}

/** Every packet sent and received by the clients of one scenario, in order, timestamped. */
export class PacketTrace {
  readonly entries: TraceEntry[] = [];
  private readonly t0 = performance.now();
  /** Secrets (the target's passwords) masked wherever their bytes appear in a dump, even in raw bytes. */
  private readonly secretHex: string[] = [];

  /** Masks these secrets in every later entry's hex dump. */
  addSecrets(secrets: Iterable<string | undefined>): void {
    for (const s of secrets) if (s !== undefined && s.length >= 3) this.secretHex.push(Buffer.from(s).toString('hex'));
  }

  add(e: Omit<TraceEntry, 'atMs'>): void {
    const entry = { atMs: Math.round((performance.now() - this.t0) * 10) / 10, ...e };
    if (entry.hex !== undefined) entry.hex = this.maskHex(entry.hex, e.packet);
    this.entries.push(entry);
  }

  /**
   * The hex dump with the bytes of a CONNECT password, of authentication data and of any known
   * secret replaced by `xx` (same length, so the framing stays readable).
   */
  private maskHex(hex: string, packet: Packet | undefined): string {
    const secrets = [...this.secretHex];
    if (packet && (packet.type === 'connect' || packet.type === 'auth')) {
      const pw = (packet as { password?: Buffer }).password;
      if (pw && pw.length > 0) secrets.push(pw.toString('hex'));
      const ad = (packet as { properties?: { authenticationData?: Buffer } }).properties?.authenticationData;
      if (ad && ad.length > 0) secrets.push(ad.toString('hex'));
    }
    let out = hex;
    for (const s of secrets) {
      // Align to whole bytes: search only at even offsets.
      let i = out.indexOf(s);
      while (i >= 0) {
        if (i % 2 === 0) out = out.slice(0, i) + 'x'.repeat(s.length) + out.slice(i + s.length);
        i = out.indexOf(s, i + 1);
      }
    }
    return out;
  }

  /** A readable listing for reports and failed-scenario attachments. */
  format(maxHexBytes = 64): string {
    if (this.entries.length === 0) return '(no packets)';
    return this.entries
      .map((e) => {
        const arrow = e.direction === 'sent' ? '->' : e.direction === 'received' ? '<-' : '**';
        const head = `${e.atMs.toFixed(1).padStart(8)} ms  ${e.client.padEnd(6)} ${arrow} `;
        let body = e.packet ? describePacket(e.packet) : (e.note ?? '');
        if (e.violation) body += `VIOLATION ${e.violation.statement.id}: ${e.violation.message}`;
        if (e.packet && e.note) body += `  (${e.note})`;
        let hex = '';
        if (e.hex !== undefined) {
          const bytes = e.hex.length / 2;
          const masked = e.hex.includes('x')
            ? ` (xx: ${redactValue(Buffer.alloc((e.hex.match(/x/g) ?? []).length / 2)).slice(1, -1)} of secret masked)`
            : '';
          hex = `\n${' '.repeat(20)}[${bytes} B] ${e.hex
            .slice(0, maxHexBytes * 2)
            .replace(/(..)/g, '$1 ')
            .trim()}${bytes > maxHexBytes ? ' …' : ''}${masked}`;
        }
        return head + body + hex;
      })
      .join('\n');
  }

  toJSON(): unknown[] {
    return this.entries.map((e) => ({
      ...e,
      packet: e.packet ? describePacket(e.packet) : undefined,
    }));
  }
}
