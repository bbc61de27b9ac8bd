import { STATEMENTS_3_1_1 } from './statements-3-1-1.ts';
import { STATEMENTS_5_0_PART1 } from './statements-5-0-part1.ts';
import { STATEMENTS_5_0_PART2 } from './statements-5-0-part2.ts';
import type { SpecVersion, Statement, StatementRef } from './types.ts';

/** Every normative statement of MQTT 3.1.1 (141) and 5.0 (251), in Appendix B order. */
export const REGISTRY: readonly Statement[] = [...STATEMENTS_3_1_1, ...STATEMENTS_5_0_PART1, ...STATEMENTS_5_0_PART2];

const byKey = new Map<string, Statement>(REGISTRY.map((s) => [`${s.version}|${s.id}`, s]));

/** Looks a statement up by version and ID; undefined when there is no such statement. */
export function findStatement(version: SpecVersion, id: string): Statement | undefined {
  return byKey.get(`${version}|${id}`);
}

/** The statement a reference cites. The types make a dangling reference impossible. */
export function statementOf(ref: StatementRef): Statement {
  const s = byKey.get(`${ref.version}|${ref.id}`);
  if (!s) throw new Error(`registry has no statement ${ref.id} for MQTT ${ref.version}`);
  return s;
}

export function statementsOf(version: SpecVersion): Statement[] {
  return REGISTRY.filter((s) => s.version === version);
}
