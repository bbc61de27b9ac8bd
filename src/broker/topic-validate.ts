/** Topic name / filter rules (4.7) and shared-subscription parsing (4.8.2). Pure. */
import { ref311, ref50, type StatementRef } from '../spec/types.ts';
import type { ProtocolLevel } from '../codec/packet-types.ts';

export interface TopicProblem {
  statement: StatementRef;
  message: string;
}

const r = (
  level: ProtocolLevel,
  id311: Parameters<typeof ref311>[0],
  id50: Parameters<typeof ref50>[0],
): StatementRef => (level === 5 ? ref50(id50) : ref311(id311));

/** Check a topic filter's wildcard placement; null when valid. */
export function validateTopicFilter(filter: string, level: ProtocolLevel): TopicProblem | null {
  if (filter.length === 0)
    return { statement: r(level, 'MQTT-4.7.3-1', 'MQTT-4.7.3-1'), message: 'topic filter is empty' };
  if (filter.includes('\u0000'))
    return { statement: r(level, 'MQTT-4.7.3-2', 'MQTT-4.7.3-2'), message: 'topic filter contains U+0000' };
  const levels = filter.split('/');
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i];
    if (l.includes('#') && (l !== '#' || i !== levels.length - 1)) {
      return {
        statement: r(level, 'MQTT-4.7.1-2', 'MQTT-4.7.1-1'),
        message: `'#' must be a whole last level in "${filter}"`,
      };
    }
    if (l.includes('+') && l !== '+') {
      return {
        statement: r(level, 'MQTT-4.7.1-3', 'MQTT-4.7.1-2'),
        message: `'+' must occupy a whole level in "${filter}"`,
      };
    }
  }
  return null;
}

/** More than `max` levels ("/"-separated) in a topic name or filter? */
export function levelsOver(topic: string, max: number): boolean {
  if (max === Infinity || topic.length <= max) return false;
  let n = 1;
  for (let i = 0; i < topic.length; i++) if (topic.charCodeAt(i) === 47 && ++n > max) return true;
  return false;
}

export const hasWildcard = (filter: string): boolean => filter.includes('+') || filter.includes('#');

export interface ParsedFilter {
  /** The filter matched against topics (without the $share prefix). */
  filter: string;
  /** Share name for $share/<name>/<filter>; undefined for a plain subscription. */
  group?: string;
}

/**
 * Split "$share/<group>/<filter>" (5.0 only; at 3.1.1 "$share/..." is an ordinary filter).
 * Returns a problem for a malformed share name or missing filter.
 */
export function parseFilter(raw: string, level: ProtocolLevel): ParsedFilter | TopicProblem {
  if (level !== 5 || !raw.startsWith('$share/')) return { filter: raw };
  const rest = raw.slice(7);
  const slash = rest.indexOf('/');
  const group = slash < 0 ? rest : rest.slice(0, slash);
  if (group.length === 0 || group.includes('+') || group.includes('#')) {
    return { statement: ref50('MQTT-4.8.2-1'), message: `invalid share name in "${raw}"` };
  }
  const filter = slash < 0 ? '' : rest.slice(slash + 1);
  if (filter.length === 0)
    return { statement: ref50('MQTT-4.8.2-2'), message: `shared subscription "${raw}" has no topic filter` };
  return { filter, group };
}

export const isProblem = (x: ParsedFilter | TopicProblem): x is TopicProblem => 'statement' in x;
