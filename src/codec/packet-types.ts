/**
 * The decoded form of every MQTT control packet, for protocol levels 3 (3.1), 4 (3.1.1)
 * and 5 (5.0). This file is the contract between the codec and everything above it.
 * Binary fields are Buffers; properties only ever appear at level 5.
 */

export type ProtocolLevel = 3 | 4 | 5;
export type QoS = 0 | 1 | 2;

/** Fixed-header packet type numbers (bits 7..4 of byte 1). */
export const PacketType = {
  CONNECT: 1,
  CONNACK: 2,
  PUBLISH: 3,
  PUBACK: 4,
  PUBREC: 5,
  PUBREL: 6,
  PUBCOMP: 7,
  SUBSCRIBE: 8,
  SUBACK: 9,
  UNSUBSCRIBE: 10,
  UNSUBACK: 11,
  PINGREQ: 12,
  PINGRESP: 13,
  DISCONNECT: 14,
  AUTH: 15,
} as const;

export type PacketName =
  | 'connect'
  | 'connack'
  | 'publish'
  | 'puback'
  | 'pubrec'
  | 'pubrel'
  | 'pubcomp'
  | 'subscribe'
  | 'suback'
  | 'unsubscribe'
  | 'unsuback'
  | 'pingreq'
  | 'pingresp'
  | 'disconnect'
  | 'auth';

/** Packet names by control packet type number (2.1.2); 0 is reserved. */
export const PACKET_TYPE_NAMES: readonly (PacketName | 'reserved')[] = [
  'reserved',
  'connect',
  'connack',
  'publish',
  'puback',
  'pubrec',
  'pubrel',
  'pubcomp',
  'subscribe',
  'suback',
  'unsubscribe',
  'unsuback',
  'pingreq',
  'pingresp',
  'disconnect',
  'auth',
];

/** The fifteen packet names, in type-number order. */
export const PACKET_NAME_LIST: readonly PacketName[] = PACKET_TYPE_NAMES.slice(1) as PacketName[];

export type UserProperty = [name: string, value: string];

/** Every MQTT 5.0 property (2.2.2.2), by its camel-cased name. */
export interface Properties {
  payloadFormatIndicator?: number; // 0x01 byte
  messageExpiryInterval?: number; // 0x02 four-byte integer
  contentType?: string; // 0x03
  responseTopic?: string; // 0x08
  correlationData?: Buffer; // 0x09
  /** 0x0B; PUBLISH to a client may carry several, SUBSCRIBE carries at most one. */
  subscriptionIdentifiers?: number[];
  sessionExpiryInterval?: number; // 0x11
  assignedClientIdentifier?: string; // 0x12
  serverKeepAlive?: number; // 0x13
  authenticationMethod?: string; // 0x15
  authenticationData?: Buffer; // 0x16
  requestProblemInformation?: number; // 0x17
  willDelayInterval?: number; // 0x18
  requestResponseInformation?: number; // 0x19
  responseInformation?: string; // 0x1A
  serverReference?: string; // 0x1C
  reasonString?: string; // 0x1F
  receiveMaximum?: number; // 0x21
  topicAliasMaximum?: number; // 0x22
  topicAlias?: number; // 0x23
  maximumQoS?: number; // 0x24
  retainAvailable?: number; // 0x25
  userProperties?: UserProperty[]; // 0x26, may repeat, order kept
  maximumPacketSize?: number; // 0x27
  wildcardSubscriptionAvailable?: number; // 0x28
  subscriptionIdentifierAvailable?: number; // 0x29
  sharedSubscriptionAvailable?: number; // 0x2A
}

export interface Will {
  topic: string;
  payload: Buffer;
  qos: QoS;
  retain: boolean;
  /** Will properties (level 5 only). */
  properties?: Properties;
}

export interface ConnectPacket {
  type: 'connect';
  /** "MQTT" for levels 4 and 5, "MQIsdp" for level 3. */
  protocolName: string;
  protocolLevel: ProtocolLevel;
  /** 3.1.1 Clean Session / 5.0 Clean Start. */
  clean: boolean;
  keepAlive: number;
  clientId: string;
  will?: Will;
  username?: string;
  password?: Buffer;
  properties?: Properties;
}

export interface ConnackPacket {
  type: 'connack';
  sessionPresent: boolean;
  /** 3.1.1 return code (0..5) or 5.0 reason code. */
  reasonCode: number;
  properties?: Properties;
}

export interface PublishPacket {
  type: 'publish';
  topic: string;
  payload: Buffer;
  qos: QoS;
  retain: boolean;
  dup: boolean;
  /** Present exactly when qos > 0. */
  packetId?: number;
  properties?: Properties;
}

/** PUBACK, PUBREC, PUBREL and PUBCOMP share one shape. */
export interface AckPacket<T extends 'puback' | 'pubrec' | 'pubrel' | 'pubcomp'> {
  type: T;
  packetId: number;
  /** Level 5 only; 0 (success) when omitted on the wire. */
  reasonCode?: number;
  properties?: Properties;
}
export type PubackPacket = AckPacket<'puback'>;
export type PubrecPacket = AckPacket<'pubrec'>;
export type PubrelPacket = AckPacket<'pubrel'>;
export type PubcompPacket = AckPacket<'pubcomp'>;

export interface SubscriptionOptions {
  qos: QoS;
  /** Level 5 only. */
  noLocal?: boolean;
  retainAsPublished?: boolean;
  retainHandling?: 0 | 1 | 2;
}

export interface Subscription extends SubscriptionOptions {
  topicFilter: string;
}

export interface SubscribePacket {
  type: 'subscribe';
  packetId: number;
  subscriptions: Subscription[];
  properties?: Properties;
}

export interface SubackPacket {
  type: 'suback';
  packetId: number;
  /** 3.1.1 return codes (0, 1, 2, 0x80) or 5.0 reason codes, one per subscription. */
  reasonCodes: number[];
  properties?: Properties;
}

export interface UnsubscribePacket {
  type: 'unsubscribe';
  packetId: number;
  topicFilters: string[];
  properties?: Properties;
}

export interface UnsubackPacket {
  type: 'unsuback';
  packetId: number;
  /** Level 5 only; one per topic filter. */
  reasonCodes?: number[];
  properties?: Properties;
}

export interface PingreqPacket {
  type: 'pingreq';
}
export interface PingrespPacket {
  type: 'pingresp';
}

export interface DisconnectPacket {
  type: 'disconnect';
  /** Level 5 only; 0 (normal) when omitted on the wire. */
  reasonCode?: number;
  properties?: Properties;
}

export interface AuthPacket {
  type: 'auth';
  /** Level 5 only; 0 (success) when omitted on the wire. */
  reasonCode?: number;
  properties?: Properties;
}

export type Packet =
  | ConnectPacket
  | ConnackPacket
  | PublishPacket
  | PubackPacket
  | PubrecPacket
  | PubrelPacket
  | PubcompPacket
  | SubscribePacket
  | SubackPacket
  | UnsubscribePacket
  | UnsubackPacket
  | PingreqPacket
  | PingrespPacket
  | DisconnectPacket
  | AuthPacket;
