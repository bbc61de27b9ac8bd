/**
 * Which statements each kind of violation breaks, per MQTT version (typed IDs from src/spec).
 * A violation's key starts with its kind ("lost:…", "dup:…"); a checker may cite more for one
 * violation (e.g. a loss across a session resume also breaks the resend rule).
 */
import type { Id311, Id50, SpecVersion, StatementRef } from '../spec/types.ts';
import { ref311, ref50 } from '../spec/types.ts';

type Cite = { '3.1.1': Id311[]; '5.0': Id50[] };

export const VIOLATION_CITES = {
  /** An acknowledged message never reached a subscribed session: the server must add it to every matching session. */
  lost: { '3.1.1': ['MQTT-4.5.0-1'], '5.0': ['MQTT-4.5.0-1'] },
  /** ... across a gap in a persistent session: also queueing while away and resending on resume. */
  'lost-across-resume': {
    '3.1.1': ['MQTT-4.5.0-1', 'MQTT-3.1.2-5', 'MQTT-4.4.0-1'],
    '5.0': ['MQTT-4.5.0-1', 'MQTT-3.1.2-5', 'MQTT-3.1.2-23', 'MQTT-4.4.0-1'],
  },
  'dup-qos0': { '3.1.1': ['MQTT-4.3.1-1'], '5.0': ['MQTT-4.3.1-1'] },
  'dup-qos2': { '3.1.1': ['MQTT-4.3.3-2'], '5.0': ['MQTT-4.3.3-10'] },
  order: { '3.1.1': ['MQTT-4.6.0-6'], '5.0': ['MQTT-4.6.0-6'] },
  stale: { '3.1.1': ['MQTT-3.3.1-5'], '5.0': ['MQTT-3.3.1-5'] },
  'missing-retained': { '3.1.1': ['MQTT-3.3.1-6'], '5.0': ['MQTT-3.3.1-9'] },
  'will-after-disconnect': { '3.1.1': ['MQTT-3.1.2-10', 'MQTT-3.14.4-3'], '5.0': ['MQTT-3.1.2-10', 'MQTT-3.14.4-3'] },
  'will-missing': { '3.1.1': ['MQTT-3.1.2-8'], '5.0': ['MQTT-3.1.2-8'] },
  'present-after-clean': { '3.1.1': ['MQTT-3.2.2-1'], '5.0': ['MQTT-3.2.2-2'] },
  'session-lost': { '3.1.1': ['MQTT-3.1.2-4', 'MQTT-3.2.2-2'], '5.0': ['MQTT-3.1.2-5', 'MQTT-3.2.2-3'] },
  'present-without-session': { '3.1.1': ['MQTT-3.2.2-3'], '5.0': ['MQTT-3.2.2-3'] },
  'queued-lost': { '3.1.1': ['MQTT-3.1.2-5', 'MQTT-4.4.0-1'], '5.0': ['MQTT-3.1.2-23', 'MQTT-4.4.0-1'] },
} as const satisfies Record<string, Cite>;

export type ViolationKind = keyof typeof VIOLATION_CITES;

export function cite(kind: ViolationKind, version: SpecVersion): StatementRef[] {
  const c: Cite = VIOLATION_CITES[kind];
  return version === '5.0' ? c['5.0'].map(ref50) : c['3.1.1'].map(ref311);
}

/** The kind a violation key names ("dup:…" is refined by the checker that raised it). */
export function kindOfKey(key: string): ViolationKind | undefined {
  const k = key.slice(0, key.indexOf(':'));
  return k in VIOLATION_CITES ? (k as ViolationKind) : undefined;
}
