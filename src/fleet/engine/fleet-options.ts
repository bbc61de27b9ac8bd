/** What a lean fleet is configured with, and the kinds of entries it puts on its timer wheel. */
import type { OpLog } from './op-log.ts';

export const K = { dial: 1, up: 2, down: 3, publish: 4, connTimeout: 5, reconnect: 6, link: 7, schedule: 8 } as const;

export interface FleetOptions {
  log: OpLog;
  level: 4 | 5;
  now: () => number;
  ackTimeoutMs?: number;
  connectTimeoutMs?: number;
  username?: string;
  password?: string;
  /** mqtt_drop faults: packet types dropped per direction with a probability. */
  drops?: { stream: 'upstream' | 'downstream'; types: Set<string>; probability: number; name: string }[];
}
