/**
 * The retained store's trie walk against a linear scan with the codec's `topicMatches` as the
 * oracle: same messages, same order, same expired topics; and deletion prunes the trie.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/broker/message.ts';
import { RetainedStore } from '../../src/broker/retained-store.ts';
import { TopicLevelTrie } from '../../src/broker/retained-trie.ts';
import { isExpired } from '../../src/broker/message.ts';
import { topicMatches } from '../../src/codec/index.ts';

/** The store as it was before the trie: a Map in insertion order, scanned with topicMatches. */
class LinearStore {
  readonly byTopic = new Map<string, Message>();
  apply(msg: Message): void {
    if (msg.payload.length === 0) this.byTopic.delete(msg.topic);
    else this.byTopic.set(msg.topic, msg);
  }
  match(filter: string, now: number, expired: string[]): Message[] {
    const out: Message[] = [];
    for (const m of [...this.byTopic.values()]) {
      if (!topicMatches(filter, m.topic)) continue;
      if (isExpired(m, now)) {
        this.byTopic.delete(m.topic);
        expired.push(m.topic);
      } else out.push(m);
    }
    return out;
  }
}

const LEVELS = ['', 'a', 'b', 'c', '$SYS', '$x', 'a$', 'sensor', ' '];
const level = fc.constantFrom(...LEVELS);
const topicArb = fc
  .array(level, { minLength: 1, maxLength: 4 })
  .map((ls) => ls.join('/'))
  .filter((t) => t.length > 0);
const filterArb = fc
  .tuple(fc.array(fc.oneof(level, fc.constant('+')), { minLength: 0, maxLength: 4 }), fc.boolean())
  .map(([ls, hash]) => (hash ? [...ls, '#'] : ls).join('/'))
  .filter((f) => f.length > 0);

type Op =
  | { kind: 'set'; topic: string; payload: string; expiresAt?: number }
  | { kind: 'clear'; topic: string }
  | { kind: 'match'; filter: string; now: number };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('set' as const),
      topic: topicArb,
      payload: fc.constantFrom('p', 'q', 'r'),
      expiresAt: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('clear' as const), topic: topicArb }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('match' as const),
      filter: filterArb,
      now: fc.integer({ min: 0, max: 120 }),
    }),
  },
);

const msg = (topic: string, payload: string, expiresAt?: number): Message => {
  const m: Message = { topic, payload: Buffer.from(payload), qos: 0, retain: true };
  if (expiresAt !== undefined) m.expiresAt = expiresAt;
  return m;
};
const view = (ms: Message[]) => ms.map((m) => `${m.topic}=${m.payload.toString()}`);

/** Distinct non-empty level prefixes of the topics: the node count a fully pruned trie has. */
function prefixCount(topics: Iterable<string>): number {
  const seen = new Set<string>();
  for (const t of topics) {
    const ls = t.split('/');
    for (let i = 1; i <= ls.length; i++) seen.add(ls.slice(0, i).join('\u0000'));
  }
  return seen.size;
}

describe('retained trie', () => {
  it('answers every filter like the linear scan: same messages, order and expired topics', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const store = new RetainedStore();
        const ref = new LinearStore();
        for (const op of ops) {
          if (op.kind === 'set') {
            store.apply(msg(op.topic, op.payload, op.expiresAt));
            ref.apply(msg(op.topic, op.payload, op.expiresAt));
          } else if (op.kind === 'clear') {
            store.apply(msg(op.topic, ''));
            ref.apply(msg(op.topic, ''));
          } else {
            const e1: string[] = [];
            const e2: string[] = [];
            expect(view(store.match(op.filter, op.now, e1))).toEqual(view(ref.match(op.filter, op.now, e2)));
            expect(e1).toEqual(e2);
          }
          expect(store.size).toBe(ref.byTopic.size);
          expect(store.nodeCount).toBe(prefixCount(ref.byTopic.keys()));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('matches exactly the topics topicMatches accepts (the trie alone)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(topicArb, { maxLength: 30 }), filterArb, (topics, filter) => {
        const trie = new TopicLevelTrie<string>();
        for (const t of topics) trie.set(t, t);
        const got = trie.match(filter, []).sort();
        expect(got).toEqual(topics.filter((t) => topicMatches(filter, t)).sort());
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps the $ rule, # on the parent level and empty levels', () => {
    const s = new RetainedStore();
    for (const t of ['$SYS/x', '$SYS', 'a', 'a/b', 'a//c', '/a', 'a/']) s.apply(msg(t, 'v'));
    const topics = (f: string) => s.match(f, 0).map((m) => m.topic);
    expect(topics('#')).toEqual(['a', 'a/b', 'a//c', '/a', 'a/']);
    expect(topics('+')).toEqual(['a']);
    expect(topics('$SYS/#')).toEqual(['$SYS/x', '$SYS']);
    expect(topics('+/x')).toEqual([]);
    expect(topics('a/#')).toEqual(['a', 'a/b', 'a//c', 'a/']);
    expect(topics('a/+')).toEqual(['a/b', 'a/']);
    expect(topics('a/+/c')).toEqual(['a//c']);
    expect(topics('+/a')).toEqual(['/a']);
  });

  it('prunes the trie on clear: 10k topics cleared leave no nodes', () => {
    const s = new RetainedStore();
    const topics: string[] = [];
    for (let i = 0; i < 10_000; i++) topics.push(`site/${i % 7}/dev-${i}/${i % 3 === 0 ? '' : 'temp'}`);
    for (const t of topics) s.apply(msg(t, 'x'));
    expect(s.size).toBe(10_000);
    expect(s.nodeCount).toBe(prefixCount(topics));
    expect(s.match('site/3/+/temp', 0).length).toBe(topics.filter((t) => topicMatches('site/3/+/temp', t)).length);
    for (const t of topics) expect(s.apply(msg(t, '')).kind).toBe('clear');
    expect(s.size).toBe(0);
    expect(s.nodeCount).toBe(0);
    expect(s.match('#', 0)).toEqual([]);
  });

  it('prunes expired messages found by a wildcard walk', () => {
    const s = new RetainedStore();
    s.apply(msg('e/a/x', 'old', 10));
    s.apply(msg('e/b', 'keep'));
    const expired: string[] = [];
    expect(view(s.match('e/#', 50, expired))).toEqual(['e/b=keep']);
    expect(expired).toEqual(['e/a/x']);
    expect(s.nodeCount).toBe(2); // e, e/b
    expect(s.get('e/a/x')).toBeUndefined();
  });

  it("keeps a topic's first-retained position when its message is replaced", () => {
    const s = new RetainedStore();
    s.apply(msg('o/1', 'a'));
    s.apply(msg('o/2', 'b'));
    s.apply(msg('o/1', 'c'));
    expect(view(s.match('o/+', 0))).toEqual(['o/1=c', 'o/2=b']);
    s.apply(msg('o/1', ''));
    s.apply(msg('o/1', 'd'));
    expect(view(s.match('o/+', 0))).toEqual(['o/2=b', 'o/1=d']);
  });
});
