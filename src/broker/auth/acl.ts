import type { AclAction, Authorizer, ClientInfo } from '../hooks.ts';
import { hasWildcard, patternCoversFilter, patternMatchesTopic, stripSharePrefix } from './topic-match.ts';

export type AclAccess = 'read' | 'write' | 'readwrite';

/**
 * One allow rule. `topic` is an MQTT topic filter that may hold %c (client identifier) and
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
  for (const [token, value] of [['%c', client.clientId], ['%u', client.username]] as const) {
    if (!out.includes(token)) continue;
    if (value === undefined || value === '' || value.includes('/') || hasWildcard(value)) return undefined;
    out = out.split(token).join(value);
  }
  return out;
}

const grants = (access: AclAccess, action: AclAction) => access === 'readwrite' || access === action;

/**
 * Deny-by-default authorizer. A PUBLISH (write) or a delivery (read) is allowed when some rule
 * for the client matches the topic name; a SUBSCRIBE filter (read) is allowed only when a read
 * rule covers every topic the filter can match.
 */
export function createAclAuthorizer(rules: readonly AclRule[]): Authorizer {
  return {
    authorize(client: ClientInfo, action: AclAction, topicOrFilter: string): boolean {
      const target = stripSharePrefix(topicOrFilter);
      const isFilter = hasWildcard(target);
      for (const r of rules) {
        if (!grants(r.access, action)) continue;
        if (r.user !== undefined && r.user !== client.username) continue;
        if (r.clientId !== undefined && r.clientId !== client.clientId) continue;
        const pattern = substitute(r.topic, client);
        if (pattern === undefined) continue;
        if (isFilter ? patternCoversFilter(pattern, target) : patternMatchesTopic(pattern, target)) return true;
      }
      return false;
    },
  };
}
