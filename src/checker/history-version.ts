/** The MQTT version a history was recorded in, read from its CONNECT ops (protocolLevel 4 / 5). */
import type { SpecVersion } from '../spec/types.ts';
import type { History } from './history.ts';

export type HistoryVersion =
  { kind: 'one'; version: SpecVersion } | { kind: 'mixed'; versions: SpecVersion[] } | { kind: 'none' };

const LEVELS: Record<number, SpecVersion> = { 3: '3.1.1', 4: '3.1.1', 5: '5.0' };

export function historyVersion(h: History): HistoryVersion {
  const found = new Set<SpecVersion>();
  for (const op of h) {
    if (op.f !== 'connect' || op.type !== 'invoke') continue;
    const v = LEVELS[op.value.protocolLevel ?? -1];
    if (v !== undefined) found.add(v);
  }
  const versions = [...found].sort();
  if (versions.length === 0) return { kind: 'none' };
  return versions.length === 1 ? { kind: 'one', version: versions[0] } : { kind: 'mixed', versions };
}
