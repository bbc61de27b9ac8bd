import { PacketType } from './packet-types.ts';

/** MQTT 5.0 reason codes (2.4), by name. Some values have several names by packet. */
export const ReasonCode = {
  Success: 0x00,
  NormalDisconnection: 0x00,
  GrantedQoS0: 0x00,
  GrantedQoS1: 0x01,
  GrantedQoS2: 0x02,
  DisconnectWithWillMessage: 0x04,
  NoMatchingSubscribers: 0x10,
  NoSubscriptionExisted: 0x11,
  ContinueAuthentication: 0x18,
  ReAuthenticate: 0x19,
  UnspecifiedError: 0x80,
  MalformedPacket: 0x81,
  ProtocolError: 0x82,
  ImplementationSpecificError: 0x83,
  UnsupportedProtocolVersion: 0x84,
  ClientIdentifierNotValid: 0x85,
  BadUserNameOrPassword: 0x86,
  NotAuthorized: 0x87,
  ServerUnavailable: 0x88,
  ServerBusy: 0x89,
  Banned: 0x8a,
  ServerShuttingDown: 0x8b,
  BadAuthenticationMethod: 0x8c,
  KeepAliveTimeout: 0x8d,
  SessionTakenOver: 0x8e,
  TopicFilterInvalid: 0x8f,
  TopicNameInvalid: 0x90,
  PacketIdentifierInUse: 0x91,
  PacketIdentifierNotFound: 0x92,
  ReceiveMaximumExceeded: 0x93,
  TopicAliasInvalid: 0x94,
  PacketTooLarge: 0x95,
  MessageRateTooHigh: 0x96,
  QuotaExceeded: 0x97,
  AdministrativeAction: 0x98,
  PayloadFormatInvalid: 0x99,
  RetainNotSupported: 0x9a,
  QoSNotSupported: 0x9b,
  UseAnotherServer: 0x9c,
  ServerMoved: 0x9d,
  SharedSubscriptionsNotSupported: 0x9e,
  ConnectionRateExceeded: 0x9f,
  MaximumConnectTime: 0xa0,
  SubscriptionIdentifiersNotSupported: 0xa1,
  WildcardSubscriptionsNotSupported: 0xa2,
} as const;
export type ReasonCodeName = keyof typeof ReasonCode;

/** MQTT 3.1.1 CONNACK return codes (3.2.2.3). */
export const ConnectReturnCode = {
  Accepted: 0,
  UnacceptableProtocolVersion: 1,
  IdentifierRejected: 2,
  ServerUnavailable: 3,
  BadUserNameOrPassword: 4,
  NotAuthorized: 5,
} as const;

/** MQTT 3.1.1 SUBACK return codes (3.9.3). */
export const SubackReturnCode = {
  MaximumQoS0: 0x00,
  MaximumQoS1: 0x01,
  MaximumQoS2: 0x02,
  Failure: 0x80,
} as const;

const { CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT, AUTH } = PacketType;
type Holder = number;

/** For each 5.0 reason code value: its name per packet, and the packets that may carry it (Table 2-6). */
const TABLE: ReadonlyArray<[code: number, name: string, packets: Holder[]]> = [
  [0x00, 'Success', [CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK, AUTH]],
  [0x00, 'Normal disconnection', [DISCONNECT]],
  [0x00, 'Granted QoS 0', [SUBACK]],
  [0x01, 'Granted QoS 1', [SUBACK]],
  [0x02, 'Granted QoS 2', [SUBACK]],
  [0x04, 'Disconnect with Will Message', [DISCONNECT]],
  [0x10, 'No matching subscribers', [PUBACK, PUBREC]],
  [0x11, 'No subscription existed', [UNSUBACK]],
  [0x18, 'Continue authentication', [AUTH]],
  [0x19, 'Re-authenticate', [AUTH]],
  [0x80, 'Unspecified error', [CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT]],
  [0x81, 'Malformed Packet', [CONNACK, DISCONNECT]],
  [0x82, 'Protocol Error', [CONNACK, DISCONNECT]],
  [0x83, 'Implementation specific error', [CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT]],
  [0x84, 'Unsupported Protocol Version', [CONNACK]],
  [0x85, 'Client Identifier not valid', [CONNACK]],
  [0x86, 'Bad User Name or Password', [CONNACK]],
  [0x87, 'Not authorized', [CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT]],
  [0x88, 'Server unavailable', [CONNACK]],
  [0x89, 'Server busy', [CONNACK, DISCONNECT]],
  [0x8a, 'Banned', [CONNACK]],
  [0x8b, 'Server shutting down', [DISCONNECT]],
  [0x8c, 'Bad authentication method', [CONNACK, DISCONNECT]],
  [0x8d, 'Keep Alive timeout', [DISCONNECT]],
  [0x8e, 'Session taken over', [DISCONNECT]],
  [0x8f, 'Topic Filter invalid', [SUBACK, UNSUBACK, DISCONNECT]],
  [0x90, 'Topic Name invalid', [CONNACK, PUBACK, PUBREC, DISCONNECT]],
  [0x91, 'Packet Identifier in use', [PUBACK, PUBREC, SUBACK, UNSUBACK]],
  [0x92, 'Packet Identifier not found', [PUBREL, PUBCOMP]],
  [0x93, 'Receive Maximum exceeded', [DISCONNECT]],
  [0x94, 'Topic Alias invalid', [DISCONNECT]],
  [0x95, 'Packet too large', [CONNACK, DISCONNECT]],
  [0x96, 'Message rate too high', [DISCONNECT]],
  [0x97, 'Quota exceeded', [CONNACK, PUBACK, PUBREC, SUBACK, DISCONNECT]],
  [0x98, 'Administrative action', [DISCONNECT]],
  [0x99, 'Payload format invalid', [CONNACK, PUBACK, PUBREC, DISCONNECT]],
  [0x9a, 'Retain not supported', [CONNACK, DISCONNECT]],
  [0x9b, 'QoS not supported', [CONNACK, DISCONNECT]],
  [0x9c, 'Use another server', [CONNACK, DISCONNECT]],
  [0x9d, 'Server moved', [CONNACK, DISCONNECT]],
  [0x9e, 'Shared Subscriptions not supported', [SUBACK, DISCONNECT]],
  [0x9f, 'Connection rate exceeded', [CONNACK, DISCONNECT]],
  [0xa0, 'Maximum connect time', [DISCONNECT]],
  [0xa1, 'Subscription Identifiers not supported', [SUBACK, DISCONNECT]],
  [0xa2, 'Wildcard Subscriptions not supported', [SUBACK, DISCONNECT]],
];

/** allowed[packetType] is a 256-entry table: 1 when the code is valid in that packet. */
const allowed: Uint8Array[] = Array.from({ length: 16 }, () => new Uint8Array(256));
const names = new Map<number, string>();
for (const [code, name, packets] of TABLE) {
  for (const p of packets) {
    allowed[p][code] = 1;
    names.set(p * 256 + code, name);
  }
}

/** Is `code` a 5.0 reason code that packet type `packetType` may carry? */
export function isReasonCodeAllowed(packetType: number, code: number): boolean {
  return packetType >= 0 && packetType < 16 && code >= 0 && code < 256 && allowed[packetType][code] === 1;
}

/** The standard's name of a 5.0 reason code as used in `packetType`, or of the code in general. */
export function reasonCodeName(code: number, packetType?: number): string | undefined {
  if (packetType !== undefined) {
    const n = names.get(packetType * 256 + code);
    if (n) return n;
  }
  for (const [c, name] of TABLE) if (c === code) return name;
  return undefined;
}

/** Packet types that may carry a given 5.0 reason code. */
export function packetsForReasonCode(code: number): number[] {
  const out = new Set<number>();
  for (const [c, , packets] of TABLE) if (c === code) for (const p of packets) out.add(p);
  return [...out].sort((a, b) => a - b);
}

/** A 3.1.1 CONNACK return code is 0..5; others are reserved. */
export const isConnectReturnCode311 = (code: number): boolean => code >= 0 && code <= 5;
/** A 3.1.1 SUBACK return code is 0, 1, 2 or 0x80. */
export const isSubackReturnCode311 = (code: number): boolean => code === 0 || code === 1 || code === 2 || code === 0x80;
