import { ref311, ref50 } from '../spec/types.ts';
import type { StatementRef } from '../spec/types.ts';
import type { ProtocolLevel } from './packet-types.ts';

/** What is wrong with a topic name or filter, and the statement it breaks. */
export interface TopicProblem {
  statement: StatementRef;
  message: string;
}

const at = (
  level: ProtocolLevel,
  id311: Parameters<typeof ref311>[0],
  id50: Parameters<typeof ref50>[0],
): StatementRef => (level === 5 ? ref50(id50) : ref311(id311));

/**
 * Check a Topic Filter's wildcard placement (3.1.1 4.7.1 / 5.0 4.7.1) and, at 5.0, the
 * shape of a Shared Subscription ($share/{ShareName}/{filter}, 4.8.2). The decoder does not
 * apply this (a 5.0 server may answer SUBACK 0x8F instead of closing); brokers call it.
 */
export function topicFilterProblem(filter: string, level: ProtocolLevel): TopicProblem | null {
  if (filter.length === 0)
    return { statement: at(level, 'MQTT-4.7.3-1', 'MQTT-4.7.3-1'), message: 'Topic Filter is empty' };
  let f = filter;
  if (level === 5 && f.startsWith('$share/')) {
    const rest = f.slice(7);
    const slash = rest.indexOf('/');
    const shareName = slash < 0 ? rest : rest.slice(0, slash);
    if (shareName.length === 0)
      return {
        statement: ref50('MQTT-4.8.2-1'),
        message: `Shared Subscription ${JSON.stringify(filter)} has an empty ShareName`,
      };
    if (/[+#]/.test(shareName))
      return {
        statement: ref50('MQTT-4.8.2-2'),
        message: `ShareName ${JSON.stringify(shareName)} contains a wildcard`,
      };
    if (slash < 0 || slash === rest.length - 1)
      return {
        statement: ref50('MQTT-4.8.2-2'),
        message: `Shared Subscription ${JSON.stringify(filter)} has no Topic Filter after the ShareName`,
      };
    f = rest.slice(slash + 1);
  }
  const levels = f.split('/');
  for (let i = 0; i < levels.length; i++) {
    const lv = levels[i];
    if (lv.includes('#') && (lv !== '#' || i !== levels.length - 1)) {
      return {
        statement: at(level, 'MQTT-4.7.1-2', 'MQTT-4.7.1-1'),
        message: `'#' in Topic Filter ${JSON.stringify(filter)} must be a whole last level`,
      };
    }
    if (lv.includes('+') && lv !== '+') {
      return {
        statement: at(level, 'MQTT-4.7.1-3', 'MQTT-4.7.1-2'),
        message: `'+' in Topic Filter ${JSON.stringify(filter)} must occupy a whole level`,
      };
    }
  }
  return null;
}

/** Check a Topic Name: non-empty (unless allowed, e.g. with a 5.0 Topic Alias) and wildcard-free. */
export function topicNameProblem(topic: string, level: ProtocolLevel, allowEmpty = false): TopicProblem | null {
  if (topic.length === 0 && !allowEmpty)
    return { statement: at(level, 'MQTT-4.7.3-1', 'MQTT-4.7.3-1'), message: 'Topic Name is empty' };
  if (/[+#]/.test(topic))
    return {
      statement: at(level, 'MQTT-4.7.1-1', 'MQTT-4.7.0-1'),
      message: `Topic Name ${JSON.stringify(topic)} contains a wildcard`,
    };
  return null;
}
