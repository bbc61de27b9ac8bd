/** Builders of statements, statement checks and scenario outcomes for the report tests. */
import type { ScenarioOutcome, StatementCheck } from '../../src/report/index.ts';
import type { Statement } from '../../src/spec/index.ts';

export const st = (id: string, level: Statement['level'] = 'MUST'): Statement =>
  ({
    id,
    version: '5.0',
    section: 'x',
    level,
    actor: 'server',
    summary: id,
    testability: { kind: 'network' },
  }) as Statement;
export const chk = (id: string, outcome: StatementCheck['outcome'], step = 'Then x'): StatementCheck => ({
  version: '5.0',
  id,
  outcome,
  step,
});
export const out = (kind: ScenarioOutcome['kind'], checks: StatementCheck[], detail?: string): ScenarioOutcome => ({
  name: `s-${kind}`,
  where: `f.feature:${checks.length}`,
  version: '5.0',
  statementIds: checks.map((c) => c.id),
  kind,
  detail,
  checks,
});
