import type { DisconnectPacket, Packet, ProtocolLevel } from '../codec/packet-types.ts';
import type { ProtocolViolation } from '../codec/violation.ts';
import type { DialOptions } from './byte-stream.ts';
import type { PacketTrace } from './trace.ts';
import { describePacket, mismatch, type PacketPattern } from './pattern.ts';

/** The options, records and errors of a TestClient (test-client.ts). */

export interface TestClientOptions extends DialOptions {
  /** Name in traces and messages ("A", "sub"...). */
  name?: string;
  /** Level used to decode until a CONNECT is sent; default 4 (3.1.1). */
  protocolLevel?: ProtocolLevel;
  /** Shared trace; each client makes its own when absent. */
  trace?: PacketTrace;
  /**
   * Acknowledge QoS 1 / 2 deliveries as they arrive (PUBACK; PUBREC, then PUBCOMP on the
   * PUBREL), as real clients do, so that a broker keeping one message in flight is not stalled.
   * Off for scenarios that withhold or send acknowledgements themselves. Default off.
   */
  autoAck?: boolean;
}

export interface RecordedViolation {
  violation: ProtocolViolation;
  hex: string;
  /** Set once a step said this violation was the expected outcome. */
  acknowledged: boolean;
}

export interface CloseInfo {
  /** The DISCONNECT received last before the close, if any. */
  disconnect?: DisconnectPacket;
  /** Socket error text, when the close was not orderly (e.g. ECONNRESET). */
  error?: string;
  /** We closed it ourselves. */
  byUs: boolean;
}

/** Failure of an expectation about the broker's behaviour: a protocol verdict. */
export class ExpectationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpectationError';
  }
}

/** The error of an unmet expectation, with what the client has seen: unclaimed packets, the close, violations. */
export function expectationFailure(
  name: string,
  what: string,
  o: { inbox: Packet[]; closeInfo?: CloseInfo; violations: RecordedViolation[]; pattern?: PacketPattern },
): ExpectationError {
  const lines = [`${name}: ${what}.`];
  if (o.inbox.length > 0) {
    lines.push(`unclaimed packets received: ${o.inbox.map(describePacket).join('; ')}`);
    const near = o.pattern && o.inbox.find((p) => p.type === o.pattern!.type);
    if (near) lines.push(`closest ${o.pattern!.type}: ${mismatch(near, o.pattern!)}`);
  } else lines.push('nothing unclaimed was received.');
  const c = o.closeInfo;
  if (c) lines.push(`connection closed${c.error ? ` (${c.error})` : ''}${c.byUs ? ' by us' : ' by the broker'}.`);
  for (const v of o.violations) lines.push(`violation ${v.violation.statement.id}: ${v.violation.message}`);
  return new ExpectationError(lines.join('\n'));
}
