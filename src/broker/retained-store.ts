/**
 * Retained messages by topic (3.3.1-5..7 at 5.0; 3.3.1-5..11 at 3.1.1). Pure; `now` drives expiry.
 * Exact filters are a map lookup; wildcard filters walk a topic-level trie (retained-trie.ts), so
 * their cost follows the part of the tree the filter reaches, not the size of the store.
 * Matches come back in the order their topics were first retained (as a scan of the map gave).
 */
import { isExpired, type Message } from './message.ts';
import { TopicLevelTrie } from './retained-trie.ts';

export type RetainChange = { kind: 'set'; msg: Message } | { kind: 'clear'; topic: string } | { kind: 'none' };

interface Entry {
  msg: Message;
  /** When the topic was first retained (kept when its message is replaced): the answer order. */
  seq: number;
}

const bySeq = (a: Entry, b: Entry): number => a.seq - b.seq;

export class RetainedStore {
  private readonly byTopic = new Map<string, Entry>();
  private readonly trie = new TopicLevelTrie<Entry>();
  private nextSeq = 0;

  get size(): number {
    return this.byTopic.size;
  }

  /** Trie nodes held (for tests: 0 once every retained message is gone). */
  get nodeCount(): number {
    return this.trie.nodeCount;
  }

  /** Apply a PUBLISH with RETAIN=1: an empty payload clears, anything else replaces. */
  apply(msg: Message): RetainChange {
    if (msg.payload.length === 0)
      return this.remove(msg.topic) ? { kind: 'clear', topic: msg.topic } : { kind: 'none' };
    this.put(msg);
    return { kind: 'set', msg };
  }

  /** Load without side effects (persistence restore). */
  restore(msg: Message): void {
    this.put(msg);
  }

  get(topic: string): Message | undefined {
    return this.byTopic.get(topic)?.msg;
  }

  /** Retained messages matching a filter, dropping expired ones (their topics are returned in `expired`). */
  match(filter: string, now: number, expired?: string[]): Message[] {
    const out: Message[] = [];
    if (!filter.includes('+') && !filter.includes('#')) {
      const e = this.byTopic.get(filter);
      if (e) this.take(e, now, out, expired);
      return out;
    }
    const found = this.trie.match(filter, []);
    if (found.length > 1) found.sort(bySeq);
    for (const e of found) this.take(e, now, out, expired);
    return out;
  }

  all(): Message[] {
    return Array.from(this.byTopic.values(), (e) => e.msg);
  }

  private put(msg: Message): void {
    const old = this.byTopic.get(msg.topic);
    if (old) {
      old.msg = msg; // the entry object is shared with the trie
      return;
    }
    const e: Entry = { msg, seq: this.nextSeq++ };
    this.byTopic.set(msg.topic, e);
    this.trie.set(msg.topic, e);
  }

  private remove(topic: string): boolean {
    if (!this.byTopic.delete(topic)) return false;
    this.trie.delete(topic);
    return true;
  }

  private take(e: Entry, now: number, out: Message[], expired?: string[]): void {
    if (isExpired(e.msg, now)) {
      this.remove(e.msg.topic);
      expired?.push(e.msg.topic);
    } else out.push(e.msg);
  }
}
