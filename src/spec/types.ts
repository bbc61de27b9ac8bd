import type { Id311 } from './ids-3-1-1.ts';
import type { Id50 } from './ids-5-0.ts';

export type { Id311, Id50 };
export type SpecVersion = '3.1.1' | '5.0';
export type StatementId = Id311 | Id50;
export type Level = 'MUST' | 'MUST NOT' | 'SHOULD' | 'SHOULD NOT' | 'MAY';
/** Who the statement binds: the server, the client, or either side. */
export type Actor = 'server' | 'client' | 'both';

/**
 * Whether a test client on the network can observe the statement against any broker.
 * - network: observable from outside (send packets, watch what comes back);
 * - server-internal: about the server's inner state or policy that no client can see;
 * - client-only: binds the client; a broker test can only check our own client obeys it.
 */
export type Testability =
  { kind: 'network' } | { kind: 'server-internal'; reason: string } | { kind: 'client-only'; reason: string };

export interface Statement<I extends StatementId = StatementId> {
  id: I;
  version: SpecVersion;
  /** The section of the standard that holds it, e.g. "3.3.1". */
  section: string;
  level: Level;
  actor: Actor;
  /** One line in our own words. */
  summary: string;
  testability: Testability;
}

/** A citation of one statement in one version; what every protocol check carries. */
export type StatementRef = { version: '3.1.1'; id: Id311 } | { version: '5.0'; id: Id50 };

export const ref311 = (id: Id311): StatementRef => ({ version: '3.1.1', id });
export const ref50 = (id: Id50): StatementRef => ({ version: '5.0', id });
export const formatRef = (r: StatementRef): string => `${r.id} (MQTT ${r.version})`;
