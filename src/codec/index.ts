/**
 * Public surface of the MQTT codec (levels 3 = 3.1, 4 = 3.1.1, 5 = 5.0). Pure: no I/O.
 *
 * - decodePacket(frame, opts): one whole packet -> { ok, packet } | { ok: false, violation }.
 *   Never throws. Violations cite the statement of the packet's own version (a CONNECT's
 *   version is its own header's); an unsupported protocol name/level sets
 *   `violation.unsupportedProtocol = true` with reasonCode 0x84 so a broker can answer
 *   CONNACK 0x01 (3.1.1) / 0x84 (5.0) before closing.
 * - PacketReader: incremental framer + strict decoder; enforces maximumPacketSize from the
 *   fixed header; dead after the first violation.
 * - encodePacket(packet, level): Buffer. Throws EncodeError for unrepresentable input only.
 * - Decoded shape at level 5: reasonCode is always set on acks/DISCONNECT/AUTH (0 when omitted
 *   on the wire); `properties` is omitted when the packet carries none.
 */
export * from './packet-types.ts';
export type { ProtocolViolation } from './violation.ts';
export type { DecodeOptions, DecodeResult } from './decode-types.ts';
export { decodePacket } from './decode.ts';
export { PacketReader } from './packet-reader.ts';
export { peekConnectHeader } from './decode-connect.ts';
export type { PacketReaderOptions } from './packet-reader.ts';
export { encodePacket, encodedLength } from './encode.ts';
export { EncodeError } from './encode-common.ts';
export {
  ReasonCode,
  ConnectReturnCode,
  SubackReturnCode,
  isReasonCodeAllowed,
  reasonCodeName,
  packetsForReasonCode,
  isConnectReturnCode311,
  isSubackReturnCode311,
} from './reason-codes.ts';
export type { ReasonCodeName } from './reason-codes.ts';
export { PROPERTY_DEFS, PROPERTY_BY_ID, PROPERTY_BY_KEY, WILL as WILL_PROPERTIES } from './property-table.ts';
export type { PropertyDef, WireType } from './property-table.ts';
export { hexToBuffer, buildRaw, rawPacket, varintBytes, toBytes } from './raw-builder.ts';
export type { RawOverrides, ByteSpec } from './raw-builder.ts';
export { checkUtf8 } from './utf8.ts';
export {
  PACKET_NAMES,
  VARINT_MAX,
  peekVarint,
  bodyOffset,
  varintValue,
  varintSize,
  varintIsMinimal,
  VARINT_INCOMPLETE,
  VARINT_TOO_LONG,
} from './primitives.ts';
export { topicFilterProblem, topicNameProblem } from './topic-validation.ts';
export { topicMatches, stripSharePrefix } from './topic-match.ts';
export type { TopicProblem } from './topic-validation.ts';
