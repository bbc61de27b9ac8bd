import type { IWorldOptions } from '@cucumber/cucumber';
import { WorldHistory } from './world-history.ts';

export type { Credentials } from './world-connect.ts';

/**
 * The facade feature steps talk to: one vocabulary, so that steps stay one-liners and
 * everything protocol-shaped lives in src/client. It is built in layers, one concept each,
 * each extending the one before:
 *
 *   world-verdicts.ts  version and statements, the step account, scaled timeouts, the trace,
 *                      how a scenario ends (failed / advisory / inconclusive / not applicable)
 *   world-gates.ts     capability gates (`@requires:`, implicit gating, SUBACK grants)
 *   world-base.ts      scenario start and end, prefixes, named clients, last packets received
 *   world-connect.ts   network connections and CONNECT / CONNACK
 *   world-packets.ts   single packets in the step grammar, raw bytes, receiving
 *   world-close.ts     connections the broker closes, or the client ends
 *   world-messages.ts  subscribe, publish, deliveries and their acknowledgements
 *   world-history.ts   what a client received in the scenario, what its CONNACK declared
 */
export class ConformanceWorld extends WorldHistory {
  constructor(options: IWorldOptions<Record<string, unknown>>) {
    super(options);
  }
}
