import type { Packet } from '../codec/packet-types.ts';
import type { ProtocolViolation } from '../codec/violation.ts';
import { describePacket } from './pattern.ts';

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

  add(e: Omit<TraceEntry, 'atMs'>): void {
    this.entries.push({ atMs: Math.round((performance.now() - this.t0) * 10) / 10, ...e });
  }

  /** A readable listing for reports and failed-scenario attachments. */
  format(maxHexBytes = 64): string {
    if (this.entries.length === 0) return '(no packets)';
    return this.entries
      .map((e) => {
        const arrow = e.direction === 'sent' ? '->' : e.direction === 'received' ? '<-' : '**';
        const head = `${e.atMs.toFixed(1).padStart(8)} ms  ${e.client.padEnd(6)} ${arrow} `;
        let body = e.packet ? describePacket(e.packet) : e.note ?? '';
        if (e.violation) body += `VIOLATION ${e.violation.statement.id}: ${e.violation.message}`;
        if (e.packet && e.note) body += `  (${e.note})`;
        let hex = '';
        if (e.hex !== undefined) {
          const bytes = e.hex.length / 2;
          hex = `\n${' '.repeat(20)}[${bytes} B] ${e.hex.slice(0, maxHexBytes * 2).replace(/(..)/g, '$1 ').trim()}${bytes > maxHexBytes ? ' …' : ''}`;
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
