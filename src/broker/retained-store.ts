/**
 * Retained messages by topic (3.3.1-5..7 at 5.0; 3.3.1-5..11 at 3.1.1). Pure; `now` drives expiry.
 * Exact filters are a map lookup; wildcard filters scan the store in topic order.
 */
import { isExpired, type Message } from './message.ts';
import { topicMatches } from './topic-tree.ts';

export type RetainChange = { kind: 'set'; msg: Message } | { kind: 'clear'; topic: string } | { kind: 'none' };

export class RetainedStore {
  private readonly byTopic = new Map<string, Message>();

  get size(): number {
    return this.byTopic.size;
  }

  /** Apply a PUBLISH with RETAIN=1: an empty payload clears, anything else replaces. */
  apply(msg: Message): RetainChange {
    if (msg.payload.length === 0) {
      return this.byTopic.delete(msg.topic) ? { kind: 'clear', topic: msg.topic } : { kind: 'none' };
    }
    this.byTopic.set(msg.topic, msg);
    return { kind: 'set', msg };
  }

  /** Load without side effects (persistence restore). */
  restore(msg: Message): void {
    this.byTopic.set(msg.topic, msg);
  }

  get(topic: string): Message | undefined {
    return this.byTopic.get(topic);
  }

  /** Retained messages matching a filter, dropping expired ones (their topics are returned in `expired`). */
  match(filter: string, now: number, expired?: string[]): Message[] {
    const out: Message[] = [];
    if (!filter.includes('+') && !filter.includes('#')) {
      const m = this.byTopic.get(filter);
      if (m) this.take(m, now, out, expired);
      return out;
    }
    for (const m of this.byTopic.values()) if (topicMatches(filter, m.topic)) this.take(m, now, out, expired);
    return out;
  }

  all(): Message[] {
    return [...this.byTopic.values()];
  }

  private take(m: Message, now: number, out: Message[], expired?: string[]): void {
    if (isExpired(m, now)) {
      this.byTopic.delete(m.topic);
      expired?.push(m.topic);
    } else out.push(m);
  }
}
