import { ref311, ref50 } from '../spec/types.ts';
import type { Id311, Id50 } from '../spec/types.ts';
import type { ProtocolLevel } from './packet-types.ts';
import type { ProtocolViolation } from './violation.ts';

/** 5.0 reason codes the decoder reports with. */
export const MALFORMED = 0x81;
export const PROTOCOL_ERROR = 0x82;
export const UNSUPPORTED_PROTOCOL = 0x84;
export const TOPIC_NAME_INVALID = 0x90;
export const PACKET_TOO_LARGE = 0x95;

/** Generic "malformed packet / protocol error: close the connection" statements. */
export const GENERIC_311: Id311 = 'MQTT-4.8.0-1';
export const GENERIC_50: Id50 = 'MQTT-4.13.1-1';

/**
 * Build a violation citing the statement of the version the packet is in. `id311` may be
 * null when 3.1.1 has no specific statement; the generic close-on-violation one is used.
 */
export function violation(
  level: ProtocolLevel,
  id311: Id311 | null,
  id50: Id50 | null,
  message: string,
  reasonCode: number,
  packetType?: number,
  offset?: number,
): ProtocolViolation {
  const statement = level === 5 ? ref50(id50 ?? GENERIC_50) : ref311(id311 ?? GENERIC_311);
  const v: ProtocolViolation = { kind: 'protocol-violation', statement, message, reasonCode };
  if (packetType !== undefined) v.packetType = packetType;
  if (offset !== undefined) v.offset = offset;
  return v;
}
