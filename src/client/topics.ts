import type { PacketPattern } from './pattern.ts';

/**
 * Rewrites every topic name and filter in a packet or pattern (topic, topicFilter(s),
 * will.topic, responseTopic) through `f`. Shared-subscription filters keep their
 * `$share/<group>/` head and only the filter part is rewritten.
 */
export function mapTopics<T extends PacketPattern>(p: T, f: (topic: string) => string): T {
  const out = { ...p } as Record<string, unknown>;
  const g = (t: unknown): unknown => {
    if (typeof t !== 'string') return t;
    const m = /^(\$share\/[^/]*\/)(.*)$/s.exec(t);
    return m ? m[1] + f(m[2]) : f(t);
  };
  if ('topic' in out) out.topic = g(out.topic);
  if (Array.isArray(out.topicFilters)) out.topicFilters = out.topicFilters.map(g);
  if (Array.isArray(out.subscriptions)) {
    out.subscriptions = out.subscriptions.map((s: Record<string, unknown>) => ({
      ...s,
      topicFilter: g(s.topicFilter),
    }));
  }
  if (out.will && typeof out.will === 'object') {
    const w = { ...(out.will as Record<string, unknown>) };
    w.topic = g(w.topic);
    out.will = w;
  }
  if (out.properties && typeof out.properties === 'object' && 'responseTopic' in (out.properties as object)) {
    const pr = { ...(out.properties as Record<string, unknown>) };
    pr.responseTopic = g(pr.responseTopic);
    out.properties = pr;
  }
  return out as T;
}

/** A prefixer that leaves empty topics and `$`-topics alone. */
export function topicPrefixer(prefix: string): (t: string) => string {
  return (t) => (prefix === '' || t === '' || t.startsWith('$') ? t : prefix + t);
}
