import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MATCH_CACHE_MAX, MatchResult, TopicTree, topicMatches } from '../../src/broker/topic-tree.ts';
import { parseFilter, validateTopicFilter } from '../../src/broker/topic-validate.ts';

const matchKeys = (t: TopicTree<string>, topic: string) => t.match(topic, new MatchResult()).subs.slice().sort();

describe('TopicTree', () => {
  it('matches +, # and exact filters', () => {
    const t = new TopicTree<string>();
    for (const f of ['a/b', 'a/+', 'a/#', '#', '+/b', 'a/b/c', '+', 'a/+/c']) t.add(f, f, f);
    expect(matchKeys(t, 'a/b')).toEqual(['#', '+/b', 'a/#', 'a/+', 'a/b'].sort());
    expect(matchKeys(t, 'a')).toEqual(['#', '+', 'a/#'].sort()); // '#' matches the parent level
    expect(matchKeys(t, 'a/b/c')).toEqual(['#', 'a/#', 'a/+/c', 'a/b/c'].sort());
  });

  it('does not match $-topics with leading wildcards (4.7.2-1)', () => {
    const t = new TopicTree<string>();
    for (const f of ['#', '+/x', '$SYS/#', '$SYS/x']) t.add(f, f, f);
    expect(matchKeys(t, '$SYS/x')).toEqual(['$SYS/#', '$SYS/x']);
  });

  it('removes and prunes; replace keeps one entry per key', () => {
    const t = new TopicTree<string>();
    expect(t.add('a/+', 'c1', 'v1')).toBe(true);
    expect(t.add('a/+', 'c1', 'v2')).toBe(false);
    expect(t.size).toBe(1);
    expect(matchKeys(t, 'a/x')).toEqual(['v2']);
    expect(t.remove('a/+', 'c1')).toBe(true);
    expect(t.remove('a/+', 'c1')).toBe(false);
    expect(t.size).toBe(0);
    expect(matchKeys(t, 'a/x')).toEqual([]);
  });

  it('keeps shared groups separate from plain subscriptions', () => {
    const t = new TopicTree<string>();
    t.add('s/#', 'c1', 'plain');
    t.add('s/#', 'c1', 'g1-c1', 'g1');
    t.add('s/#', 'c2', 'g1-c2', 'g1');
    const r = t.match('s/x', new MatchResult());
    expect(r.subs).toEqual(['plain']);
    expect(r.groups.map((g) => [...g.members.values()])).toEqual([['g1-c1', 'g1-c2']]);
    t.remove('s/#', 'c1', 'g1');
    t.remove('s/#', 'c2', 'g1');
    expect(t.match('s/x', new MatchResult()).groups).toEqual([]);
  });

  it('agrees with the reference matcher on random filters and topics', () => {
    const level = fc.constantFrom('a', 'b', '', '$x');
    const topic = fc.array(level, { minLength: 1, maxLength: 4 }).map((l) => l.join('/'));
    const flevel = fc.constantFrom('a', 'b', '', '+', '$x');
    const filter = fc
      .tuple(fc.array(flevel, { minLength: 1, maxLength: 4 }), fc.boolean())
      .map(([l, hash]) => (hash ? [...l, '#'] : l).join('/'));
    fc.assert(
      fc.property(fc.uniqueArray(filter, { maxLength: 8 }), topic, (filters, tp) => {
        const t = new TopicTree<string>();
        filters.forEach((f) => t.add(f, f, f));
        expect(matchKeys(t, tp)).toEqual(filters.filter((f) => topicMatches(f, tp)).sort());
      }),
    );
  });
});

describe('TopicTree match cache', () => {
  const level = fc.constantFrom('a', 'b', '', '$x');
  const topic = fc.array(level, { minLength: 1, maxLength: 3 }).map((l) => l.join('/'));
  const filter = fc
    .tuple(fc.array(fc.constantFrom('a', 'b', '', '+', '$x'), { minLength: 1, maxLength: 3 }), fc.boolean())
    .map(([l, hash]) => (hash ? [...l, '#'] : l).join('/'));
  const op = fc.oneof(
    fc.record({ kind: fc.constant('add' as const), filter, key: fc.constantFrom('c1', 'c2'), v: fc.nat(9) }),
    fc.record({ kind: fc.constant('remove' as const), filter, key: fc.constantFrom('c1', 'c2') }),
    fc.record({ kind: fc.constant('match' as const), topic }),
  );

  it('answers as an uncached walk after any mix of adds, replaces, removes and repeated matches', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const t = new TopicTree<string>();
        const model = new Map<string, string>(); // "filter|key" -> value
        for (const o of ops) {
          if (o.kind === 'add') {
            t.add(o.filter, o.key, `${o.filter}|${o.key}|${o.v}`);
            model.set(`${o.filter}|${o.key}`, `${o.filter}|${o.key}|${o.v}`);
          } else if (o.kind === 'remove') {
            t.remove(o.filter, o.key);
            model.delete(`${o.filter}|${o.key}`);
          } else {
            const want = [...model.entries()]
              .filter(([k]) => topicMatches(k.slice(0, k.lastIndexOf('|')), o.topic))
              .map(([, v]) => v)
              .sort();
            expect(matchKeys(t, o.topic)).toEqual(want);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it(`keeps at most ${MATCH_CACHE_MAX} topics, matches the rest uncached, and drops them all on a change`, () => {
    const t = new TopicTree<string>();
    t.add('d/+/up', 'c1', 'all-devices');
    for (let i = 0; i < MATCH_CACHE_MAX + 10; i++) expect(matchKeys(t, `d/${i}/up`)).toEqual(['all-devices']);
    expect(t.cachedTopics).toBe(MATCH_CACHE_MAX);
    expect(matchKeys(t, `d/${MATCH_CACHE_MAX + 5}/up`)).toEqual(['all-devices']); // not cached, still right
    t.add('d/7/up', 'c2', 'one-device');
    expect(t.cachedTopics).toBe(0);
    expect(matchKeys(t, 'd/7/up')).toEqual(['all-devices', 'one-device']);
    t.remove('d/+/up', 'c1');
    expect(matchKeys(t, 'd/7/up')).toEqual(['one-device']);
    expect(matchKeys(t, 'd/8/up')).toEqual([]);
  });

  it('a cached answer is a copy: the caller may not change what the next match returns', () => {
    const t = new TopicTree<string>();
    t.add('x/#', 'c1', 'v');
    const first = t.match('x/y', new MatchResult());
    first.subs.push('garbage');
    expect(matchKeys(t, 'x/y')).toEqual(['v']);
  });
});

describe('topic filter validation', () => {
  it.each(['a/#', '#', '+', '+/+/x', 'a//b', '/'])('accepts %s', (f) => expect(validateTopicFilter(f, 5)).toBeNull());
  it.each(['a/#/b', 'a#', 'a/b+', '', '#/a'])('rejects %s', (f) => expect(validateTopicFilter(f, 4)).not.toBeNull());
  it('parses $share at 5.0 only', () => {
    expect(parseFilter('$share/g/a/+', 5)).toEqual({ filter: 'a/+', group: 'g' });
    expect(parseFilter('$share/g/a/+', 4)).toEqual({ filter: '$share/g/a/+' });
    expect(parseFilter('$share/g', 5)).toHaveProperty('statement');
    expect(parseFilter('$share//a', 5)).toHaveProperty('statement');
    expect(parseFilter('$share/g+/a', 5)).toHaveProperty('statement');
  });
});
