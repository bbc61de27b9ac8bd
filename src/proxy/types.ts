/**
 * Plain-data shapes of the fault-injecting proxy: toxics (Toxiproxy-compatible JSON),
 * packets as the proxy sees them, fault events and statistics.
 */
import type { Packet, PacketName, ProtocolLevel } from '../codec/packet-types.ts';

/** upstream = client → broker, downstream = broker → client (Toxiproxy's names). */
export type Stream = 'upstream' | 'downstream';

/** Attribute values are plain JSON scalars (or string lists) so a file or an HTTP call can carry them. */
export type AttrValue = number | string | boolean | string[] | null;
export type Attributes = Record<string, AttrValue>;

/** One toxic, exactly the JSON shape Toxiproxy uses. */
export interface ToxicSpec {
  name: string;
  type: string;
  stream: Stream;
  /** Probability (0..1) that the toxic applies to a given connection. Default 1. */
  toxicity: number;
  attributes: Attributes;
}

/** Input form: name, stream, toxicity and attributes may be left out. */
export interface ToxicInput {
  name?: string;
  type: string;
  stream?: Stream;
  toxicity?: number;
  attributes?: Attributes;
}

/** What the proxy knows about one MQTT packet it framed (no full decode on the hot path). */
export interface PacketInfo {
  /** Packet type number 1..15 (0 is reserved / invalid). */
  typeNum: number;
  type: PacketName | 'reserved';
  /** Only for packets that carry one (PUBLISH qos>0, acks, (UN)SUBSCRIBE/ACK). */
  packetId?: number;
  /** PUBLISH only. */
  topic?: string;
  /** PUBLISH only. */
  qos?: 0 | 1 | 2;
  /** CONNECT only. */
  clientId?: string;
  /** CONNECT only. */
  protocolLevel?: ProtocolLevel;
  /** With the proxy's `decode` option: the packet as the codec decodes it ... */
  decoded?: Packet;
  /** ... or why the codec rejects it (the packet is still forwarded unchanged). */
  violation?: string;
}

/** A unit travelling through a toxic chain: one whole MQTT packet, or a raw chunk in byte mode. */
export interface Unit {
  bytes: Buffer;
  packet?: PacketInfo;
}

export type FaultAction =
  | 'drop'
  | 'delay'
  | 'duplicate'
  | 'corrupt'
  | 'close'
  | 'reset'
  | 'blackhole'
  | 'half-open'
  | 'slow-close'
  | 'limit'
  | 'refuse'
  | 'outage-start'
  | 'outage-end'
  | 'bad-state'
  | 'good-state';

/** Emitted whenever a toxic acts; the checkers record these into their history. */
export interface FaultEvent {
  /** Clock time in ms (the proxy's clock). */
  time: number;
  /** Link id (1, 2, …) or undefined for proxy-level events (outage-start, refuse). */
  link?: number;
  clientId?: string;
  toxic: string;
  action: FaultAction;
  packet?: { type: string; packetId?: number; topic?: string };
  direction?: Stream;
  /** e.g. the delay in ms, the number of copies. */
  detail?: Record<string, number | string | boolean>;
}

export interface DirectionStats {
  bytes: number;
  packets: number;
  /** With the `decode` option: packets the codec rejected (they are still forwarded). */
  violations?: number;
  byType: Partial<Record<PacketName | 'reserved', number>>;
}

export interface LinkStats {
  id: number;
  clientId?: string;
  protocolLevel?: ProtocolLevel;
  /** 'mqtt' while framing works; 'bytes' when MQTT framing is off or failed. */
  mode: 'mqtt' | 'bytes';
  /** Why framing fell back to byte mode, when it did. */
  fallbackReason?: string;
  /** With the `decode` option: the first codec violation seen on this link. */
  firstViolation?: string;
  open: boolean;
  openedAt: number;
  closedAt?: number;
  upstream: DirectionStats;
  downstream: DirectionStats;
  /** Faults applied on this link, by toxic name. */
  faults: Record<string, number>;
}

export interface ProxyStats {
  connections: number;
  activeLinks: number;
  refused: number;
  upstream: DirectionStats;
  downstream: DirectionStats;
  faults: Record<string, number>;
  /** Links that fell back to byte mode. */
  byteModeLinks: number;
}
