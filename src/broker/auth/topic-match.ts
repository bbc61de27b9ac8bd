/**
 * MQTT wildcard matching for access rules: a rule pattern is a topic filter ("+" one level,
 * "#" the rest, including the parent level). Patterns starting with a wildcard do not match
 * topics starting with "$" (MQTT-4.7.2-1 semantics), so "$SYS/#" needs its own rule.
 */
import { stripSharePrefix, topicMatches } from '../../codec/index.ts';

/** Does the rule pattern (a filter) match this topic name? */
export const patternMatchesTopic = topicMatches;

/**
 * Is every topic the subscription filter can match also matched by the pattern?
 * ("a/+/c" covers "a/b/c" and "a/+/c"; "a/#" covers "a", "a/+/x" and "a/#"; "a/+" does not cover "a/#".)
 */
export function patternCoversFilter(pattern: string, filter: string): boolean {
  const p = pattern.split('/');
  const f = filter.split('/');
  const fDollar = filter.startsWith('$');
  const pWild = p[0] === '+' || p[0] === '#';
  // A pattern starting with a wildcard covers no $-topic, so it cannot cover a filter that names one.
  if (fDollar && pWild) return false;
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '#') return true;
    if (i >= f.length) return false;
    if (f[i] === '#') return false;
    if (p[i] === '+') continue;
    if (f[i] === '+' || f[i] !== p[i]) return false;
  }
  return p.length === f.length;
}

export { stripSharePrefix };

export const hasWildcard = (s: string): boolean => s.includes('+') || s.includes('#');
