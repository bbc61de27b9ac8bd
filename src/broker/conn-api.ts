/**
 * What the protocol handlers (*-flow.ts, dispatch.ts, delivery.ts) see of one client
 * connection, and its states. Connection (connection.ts) implements it; the handlers import only
 * this module, so there is no import circle between the shell and the handlers.
 */
import type { ConnectPacket, Packet, ProtocolLevel } from '../codec/index.ts';
import type { StatementRef } from '../spec/types.ts';
import type { AuthSession, ClientInfo } from './hooks.ts';
import type { BrokerContext } from './context.ts';
import type { Message, Outgoing } from './message.ts';
import type { Session, SessionLink } from './session.ts';

export const ConnState = { New: 0, Authenticating: 1, Connected: 2, Closed: 3 } as const;
export type ConnStateT = (typeof ConnState)[keyof typeof ConnState];

/** Where a core's output goes: the transport. */
export interface ConnSink {
  /** Queue bytes for the client (the shell batches writes per event-loop tick). */
  send(buf: Buffer): void;
  /** Flush what was sent, then close the transport. */
  end(): void;
  /** Bytes sent and not yet flushed (for slow-consumer dropping of QoS 0). */
  readonly writableLength: number;
  /** Told on every timer tick how long the client has been silent; `busy` while packets wait (async authentication). */
  idle(idleMs: number, busy: boolean): void;
}

/** Acknowledgements sent once persistence has made what came before them durable (durable-acks.ts). */
export interface DurableAckQueue {
  puback(id: number): void;
  pubrec(id: number): void;
  /** Run `send` once what was recorded before now is durable, after the acks already waiting. */
  after(send: () => void): void;
}

export interface Conn extends SessionLink {
  readonly ctx: BrokerContext;
  readonly transport: string;
  readonly remoteAddress: string | undefined;
  readonly level5: boolean;
  /** Bytes written but not yet flushed to the socket (slow-consumer check). */
  readonly writableLength: number;
  state: ConnStateT;
  protocolLevel: ProtocolLevel;
  clientId: string;
  info: ClientInfo | null;
  session: Session | null;
  /** QoS>0 PUBLISHes received and not yet acknowledged (awaiting fsync). */
  pendingAcks: number;
  /** Acks waiting for durable persistence (created on first use; durable-acks.ts). */
  durableAcks: DurableAckQueue | null;
  /** Every delivery is checked with the authorizer's read rule (Authorizer.checksDeliveries, e.g. ACL deny rules). */
  checkReads: boolean;
  /** QoS 2 ids already awaiting PUBREL from earlier connections (not counted against this connection's quota). */
  inboundBase: number;
  /** Client -> server topic aliases (5.0). */
  aliasIn: Map<number, string> | null;
  clientMaxPacket: number;
  /** Server -> client topic aliases (5.0), when the client's Topic Alias Maximum allows them. */
  aliasOutMax: number;
  aliasOut: Map<string, number> | null;
  pendingAlias: number;
  problemInfo: boolean;
  will: Message | null;
  willExpiry: number | undefined;
  willDelay: number;
  /** Set on DISCONNECT 0x00 so the will is discarded (3.14.4-3). */
  discardWill: boolean;
  authMethod: string | undefined;
  authSession: AuthSession | null;
  reauthing: boolean;
  /** The CONNECT waiting for an enhanced-authentication exchange to finish. */
  pendingConnect: { p: ConnectPacket; assigned: boolean } | null;

  write(buf: Buffer): void;
  sendPacket(p: Packet): boolean;
  sendAck(
    type: 'puback' | 'pubrec' | 'pubrel' | 'pubcomp',
    packetId: number,
    reasonCode?: number,
    reason?: string,
  ): void;
  sendPubrel(packetId: number): void;
  sendReleased(list: Outgoing[]): void;
  resumeSession(): void;
  startKeepAlive(seconds: number): void;
  protocolError(message: string, s311: StatementRef, s50: StatementRef, code?: number): void;
  disconnect(reasonCode: number, reason?: string): void;
  close(): void;
  /** Log a handler failure and end this connection (DISCONNECT 0x83). */
  fail(e: unknown): void;
}

/**
 * The reason code for a malformed packet / protocol error: as given, or with variant
 * `swapMalformedProtocolError` 0x81 and 0x82 exchanged (4.13.1 fixes neither by a MUST).
 */
export function genericErrorCode(c: { ctx: BrokerContext }, rc: number): number {
  if (!c.ctx.variant.swapMalformedProtocolError) return rc;
  return rc === 0x81 ? 0x82 : rc === 0x82 ? 0x81 : rc;
}
