/**
 * One lean device: a fixed-shape record (every field set in the constructor, so V8 keeps them
 * in the object itself instead of a separate property store), its in-flight messages and its
 * link state. No timers, closures or emitters of its own besides its socket's.
 */
import type { Socket } from 'node:net';
import type { ConnectPacket, PacketReader, QoS } from '../../codec/index.ts';
import type { Rng } from '../../common/index.ts';
import { DevLink, type LinkHost } from './dev-link.ts';
import type { LinkSpec } from './link-spec.ts';

export interface Flight {
  pid: number;
  msgId: string;
  topic: string;
  qos: QoS;
  retain: boolean;
  payload: Buffer;
  state: 0 | 1;
  sentAt: number;
}

export interface Queued {
  msgId: string;
  topic: string;
  qos: QoS;
  retain: boolean;
  payload: Buffer;
  t0: number;
}

/** What a device is made of; the rest of its state starts empty. */
export interface DevInit {
  i: number;
  name: string;
  cid: string;
  hub: boolean;
  host: string;
  port: number;
  link: LinkSpec;
  rng: Rng;
  persistent: boolean;
  keepAlive: number;
  will?: { topic: string; qos: QoS };
  subs: { filter: string; qos: QoS }[];
  sleepy: boolean;
}

export class Dev {
  readonly i: number;
  readonly name: string;
  readonly cid: string;
  readonly hub: boolean;
  readonly host: string;
  readonly port: number;
  readonly link: LinkSpec;
  readonly rng: Rng;
  readonly persistent: boolean;
  readonly keepAlive: number;
  readonly will: { topic: string; qos: QoS } | undefined;
  readonly subs: { filter: string; qos: QoS }[];
  readonly sleepy: boolean;
  /** 0 off, 1 connecting, 2 connected. */
  state: 0 | 1 | 2 = 0;
  /** Wants to be connected (false once dead, asleep or at the end). */
  want = false;
  sock: Socket | null = null;
  reader: PacketReader | null = null;
  /** The CONNECT of the current attempt until it is handed to the link. */
  pending: ConnectPacket | null = null;
  gen = 0;
  conns = 0;
  attempt = 0;
  dialAt = 0;
  seq = 0;
  nextPid = 1;
  flights: Map<number, Flight> | null = null;
  queue: Queued[] | null = null;
  inQos2: Set<number> | null = null;
  lastSent = 0;
  pingAt = 0;
  upFree = 0;
  downFree = 0;
  heldUp: Buffer[] | null = null;
  heldDown: Buffer[] | null = null;
  received = 0;
  /** The SUBACK for the current session's subscriptions arrived. */
  subOk = false;
  /** The current attempt's CONNECT has been handed to the socket. */
  connectSent = false;
  /** A connection was accepted at least once. */
  ever = false;
  /** The device's own publishing schedule (ms after `pubT0`), consumed one at a time. */
  pubTimes: readonly number[] | null = null;
  pubNext = 0;
  pubT0 = 0;
  pubTopic = '';
  readonly net: DevLink<Dev>;

  constructor(
    init: DevInit,
    /** Position in the fleet's device array (the wheel's device number). */
    readonly slot: number,
    host: LinkHost<Dev>,
  ) {
    this.i = init.i;
    this.name = init.name;
    this.cid = init.cid;
    this.hub = init.hub;
    this.host = init.host;
    this.port = init.port;
    this.link = init.link;
    this.rng = init.rng;
    this.persistent = init.persistent;
    this.keepAlive = init.keepAlive;
    this.will = init.will;
    this.subs = init.subs;
    this.sleepy = init.sleepy;
    this.net = new DevLink(host, this);
  }
}
