import type { StatementRef } from '../spec/types.ts';

/**
 * A typed protocol violation found while decoding. The decoder returns these instead of
 * throwing. `reasonCode` is the 5.0 reason code a receiver should answer with
 * (0x81 malformed packet, 0x82 protocol error, 0x95 packet too large, ...).
 */
export interface ProtocolViolation {
  kind: 'protocol-violation';
  /** The normative statement broken. */
  statement: StatementRef;
  /** What is wrong and where, for a person: "PUBLISH topic contains wildcard '+' at offset 4". */
  message: string;
  /** 5.0 reason code to report it with. */
  reasonCode: number;
  /** Packet type number from the fixed header, when it could be read. */
  packetType?: number;
  /** Byte offset within the packet where the problem was found. */
  offset?: number;
  /**
   * Set on a CONNECT whose protocol name or level is not supported (reasonCode 0x84): a
   * broker may answer CONNACK 0x01 (3.1.1) / 0x84 (5.0) before closing the connection.
   */
  unsupportedProtocol?: boolean;
}
