import type { AclAction, Authorizer, ClientInfo } from '../hooks.ts';
import { hasWildcard, patternCoversFilter, patternMatchesTopic, stripSharePrefix } from './topic-match.ts';

/** `deny` refuses reading and writing, whatever any other rule grants (mosquitto's `topic deny`). */
export type AclAccess = 'read' | 'write' | 'readwrite' | 'deny';

/**
 * One allow rule, or a deny rule (access `deny`). `topic` is an MQTT topic filter that may hold %c (client identifier) and
 * %u (user name). `user` / `clientId` restrict the rule to one client; without them it applies
 * to everyone.
 */
export interface AclRule {
  topic: string;
  access: AclAccess;
  user?: string;
  clientId?: string;
}

/**
 * Fills %c and %u. Returns undefined (rule does not apply) when a needed value is missing or
 * would change the pattern's shape: a value holding "/", "+" or "#" could widen the rule.
 */
export function substitute(pattern: string, client: ClientInfo): string | undefined {
  let out = pattern;
  for (const [token, value] of [
    ['%c', client.clientId],
    ['%u', client.username],
  ] as const) {
    if (!out.includes(token)) continue;
    if (value === undefined || value === '' || value.includes('/') || hasWildcard(value)) return undefined;
    out = out.split(token).join(value);
  }
  return out;
}

const grants = (access: AclAccess, action: AclAction) => access === 'readwrite' || access === action;

/** The rule's pattern for this client, or undefined when the rule does not apply to it. */
function patternFor(r: AclRule, client: ClientInfo): string | undefined {
  if (r.user !== undefined && r.user !== client.username) return undefined;
  if (r.clientId !== undefined && r.clientId !== client.clientId) return undefined;
  return substitute(r.topic, client);
}

/**
 * Deny-by-default authorizer. A PUBLISH (write) or a delivery (read) is allowed when some rule
 * for the client matches the topic name; a SUBSCRIBE filter (read) is allowed only when a read
 * rule covers every topic the filter can match.
 *
 * Deny rules are checked first, whatever their place in the list (as mosquitto's `topic deny`):
 * a topic a deny rule matches is neither published nor delivered, and a filter a deny rule
 * covers is refused. A broader filter that only overlaps a deny rule ("a/#" under "deny a/secret")
 * is allowed, and each delivery to that client is then checked (checksDeliveries), so the denied
 * topic never reaches it.
 */
export function createAclAuthorizer(rules: readonly AclRule[]): Authorizer {
  const denies = rules.filter((r) => r.access === 'deny');
  const allows = rules.filter((r) => r.access !== 'deny');
  return {
    authorize(client: ClientInfo, action: AclAction, topicOrFilter: string): boolean {
      const target = stripSharePrefix(topicOrFilter);
      const isFilter = hasWildcard(target);
      for (const r of denies) {
        const pattern = patternFor(r, client);
        if (pattern === undefined) continue;
        if (isFilter ? patternCoversFilter(pattern, target) : patternMatchesTopic(pattern, target)) return false;
      }
      for (const r of allows) {
        if (!grants(r.access, action)) continue;
        const pattern = patternFor(r, client);
        if (pattern === undefined) continue;
        if (isFilter ? patternCoversFilter(pattern, target) : patternMatchesTopic(pattern, target)) return true;
      }
      return false;
    },
    checksDeliveries: (client: ClientInfo) => denies.some((r) => patternFor(r, client) !== undefined),
  };
}
