import type { Actor, Id311, Id50, Level, Statement, Testability } from './types.ts';

/** Shorthands so the data files stay one line per statement. */
export const net: Testability = { kind: 'network' };
export const internal = (reason: string): Testability => ({ kind: 'server-internal', reason });
export const clientOnly = (reason: string): Testability => ({ kind: 'client-only', reason });

export const s311 = (
  id: Id311,
  section: string,
  level: Level,
  actor: Actor,
  summary: string,
  testability: Testability,
): Statement<Id311> => ({ id, version: '3.1.1', section, level, actor, summary, testability });

export const s50 = (
  id: Id50,
  section: string,
  level: Level,
  actor: Actor,
  summary: string,
  testability: Testability,
): Statement<Id50> => ({ id, version: '5.0', section, level, actor, summary, testability });
