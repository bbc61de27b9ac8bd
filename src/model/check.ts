/**
 * The spec model's entry point: given a history of one program, every observation the
 * specification does not allow, each naming its statements. Pure: no I/O, no clock.
 */
import { checkDelivery } from './delivery.ts';
import { collectReceipts } from './delivery-receipts.ts';
import { checkInflight, checkOrdering } from './flow.ts';
import { checkSessionPresent } from './session.ts';
import type { History, ModelFinding, ModelOptions } from './types.ts';
import { buildWorld } from './world.ts';

export function checkHistory(h: History, o: ModelOptions): ModelFinding[] {
  const out: ModelFinding[] = [];
  const w = buildWorld(h, o.version === '5.0');
  const receipts = collectReceipts(w, o, out);
  checkDelivery(w, o, receipts, out);
  checkInflight(w, o, out);
  checkOrdering(w, o, receipts, out);
  checkSessionPresent(h, o, out);
  return out;
}

/**
 * How many required deliveries have not arrived yet, as if the program ended now with every
 * connection left as it is. The runner waits on this (bounded) before ending a program.
 */
export function owedCount(h: History, o: ModelOptions, now: number): number {
  const probe = [...h, { k: 'end' as const, t: now, settled: true }];
  return checkHistory(probe, o).filter((f) => f.missing === true).length;
}
