/**
 * The narrow seams between the broker core and its edge (config, users, ACL, enhanced
 * auth, transports). The core calls these; src/broker's edge files implement them from
 * the config file. Both sides build against this file only.
 */
import type { Properties } from '../codec/packet-types.ts';

/** What the broker knows about a connecting or connected client. */
export interface ClientInfo {
  clientId: string;
  username?: string;
  protocolLevel: 3 | 4 | 5;
  /** "tcp", "tls", "ws" or "wss". */
  transport: string;
  remoteAddress?: string;
}

/** Result of checking CONNECT credentials: 0 accept, else a 5.0 reason code (mapped to 3.1.1 return codes by the core). */
export type AuthenticateResult = { ok: true } | { ok: false; reasonCode: number; reason?: string };

export interface Authenticator {
  /** Username/password check on CONNECT (no enhanced auth method given). */
  authenticate(client: ClientInfo, password: Buffer | undefined): AuthenticateResult | Promise<AuthenticateResult>;
}

export type AclAction = 'read' | 'write';

export interface Authorizer {
  /** May this client publish to (write) or receive from (read) the topic / subscribe to the filter? */
  authorize(client: ClientInfo, action: AclAction, topicOrFilter: string): boolean;
  /**
   * Optional: true when a subscription this client was allowed can still match topics it may not
   * read (e.g. a deny rule under a broader grant), so that every delivery to it is checked with
   * authorize(client, 'read', topic). Absent or false: the SUBSCRIBE check is enough.
   */
  checksDeliveries?(client: ClientInfo): boolean;
}

/** One step of an enhanced-authentication exchange (MQTT 5.0 section 4.12). */
export type AuthStep =
  | { kind: 'continue'; data?: Buffer } // send AUTH 0x18 with this data
  | { kind: 'success'; data?: Buffer; username?: string } // finish: CONNACK 0x00 (or AUTH 0x00 on re-auth)
  | { kind: 'fail'; reasonCode: number; reason?: string };

/** A server-side enhanced-auth conversation, one per connection attempt. */
export interface AuthSession {
  start(data: Buffer | undefined, connectProperties: Properties): AuthStep | Promise<AuthStep>;
  next(data: Buffer | undefined): AuthStep | Promise<AuthStep>;
}

export interface AuthMechanism {
  /** The Authentication Method name, e.g. "SCRAM-SHA-256". */
  readonly method: string;
  createSession(client: ClientInfo): AuthSession;
}

export const allowAll: Authenticator & Authorizer = {
  authenticate: () => ({ ok: true }),
  authorize: () => true,
};
