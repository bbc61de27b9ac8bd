/** Runs a chosen set of checkers over one history. */
import type { History } from './history.ts';
import type { CheckResult, CheckerSpec } from './result.ts';
import { runChecker } from './result.ts';
import type { DeliveryOptions } from './delivery.ts';
import { qos0NoDuplicatesSpec, qos1AtLeastOnceSpec, qos2ExactlyOnceSpec } from './delivery.ts';
import { orderingSpec } from './ordering.ts';
import { retainedSpec, type RetainedOptions } from './retained.ts';
import { willSpec, type WillOptions } from './will.ts';
import { sessionSpec } from './session.ts';

export const CHECKERS = {
  'qos0-at-most-once': qos0NoDuplicatesSpec,
  'qos1-at-least-once': qos1AtLeastOnceSpec,
  'qos2-exactly-once': qos2ExactlyOnceSpec,
  'ordered-topics': orderingSpec,
  'retained-last-value': retainedSpec,
  'last-will': willSpec,
  'session-resume': sessionSpec,
} as const satisfies Record<string, CheckerSpec>;

export type CheckerName = keyof typeof CHECKERS;
export type AllOptions = DeliveryOptions & RetainedOptions & WillOptions;

export function checkAll(
  history: History,
  names: readonly CheckerName[] = Object.keys(CHECKERS) as CheckerName[],
  opts: AllOptions = {},
): CheckResult[] {
  return names.map((n) => runChecker(CHECKERS[n], history, opts));
}
