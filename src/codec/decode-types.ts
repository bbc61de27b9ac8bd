import type { Packet, ProtocolLevel } from './packet-types.ts';
import type { ProtocolViolation } from './violation.ts';

export interface DecodeOptions {
  /** Level of the connection; a CONNECT is always decoded at the level in its own header. */
  protocolLevel: ProtocolLevel;
  /** Largest whole packet (fixed header included) accepted; larger ones are a 0x95 violation. */
  maximumPacketSize?: number;
  /** Who sent the bytes: 'client' when a broker decodes, 'server' when a client decodes. */
  from?: 'client' | 'server';
}

/**
 * One decoded packet, or the violation that ended the stream. `bytes` is the packet's wire
 * frame (or, for a violation, the bytes read of it), when the reader was asked to keep them.
 */
export type DecodeResult =
  { ok: true; packet: Packet; bytes?: Buffer } | { ok: false; violation: ProtocolViolation; bytes?: Buffer };
