/**
 * MQTT topic matching (3.1.1 and 5.0 section 4.7): `+` matches one level, `#` the rest
 * including the parent level, and a filter starting with a wildcard matches no topic that
 * starts with `$` (MQTT-4.7.2-1). The one implementation the broker's ACLs, the proxy's
 * matchers and the checkers share; the broker's subscription trie is checked against it.
 */

/** Does the topic name match the filter? A `$share/{group}/` prefix must be stripped first. */
export function topicMatches(filter: string, topic: string): boolean {
  if (filter === topic) return true;
  if (topic.charCodeAt(0) === 0x24 /* $ */ && (filter[0] === '+' || filter[0] === '#')) return false;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** The filter a shared subscription (`$share/{group}/{filter}`) takes its messages from. */
export function stripSharePrefix(filter: string): string {
  if (!filter.startsWith('$share/')) return filter;
  const rest = filter.slice('$share/'.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? filter : rest.slice(slash + 1);
}
