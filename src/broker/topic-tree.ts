/**
 * Subscription trie with MQTT wildcards (4.7). Pure: no I/O, no clock.
 * Each node holds the plain subscribers for the filter ending there (keyed by client id)
 * and the shared-subscription groups ($share/<group>/<filter>) for that filter.
 * The matches of up to MATCH_CACHE_MAX topic names are kept until the next subscription change:
 * splitting a topic and walking the trie was a quarter of the broker's time at QoS 0 to one topic;
 * a cached topic costs one Map lookup. When the cache is full, further topics are matched
 * without being cached, so a workload of many distinct topics pays only a failed lookup.
 */

/** Topic names whose matches are kept between subscription changes. */
export const MATCH_CACHE_MAX = 4096;

export interface SharedGroup<V> {
  readonly name: string;
  readonly members: Map<string, V>;
  /** Round-robin cursor, advanced by the router. */
  cursor: number;
}

class Node<V> {
  children: Map<string, Node<V>> | null = null;
  plus: Node<V> | null = null;
  hash: Node<V> | null = null;
  subs: Map<string, V> | null = null;
  shared: Map<string, SharedGroup<V>> | null = null;
}

/** Output buffers for one match; reuse one instance on the hot path. */
export class MatchResult<V> {
  readonly subs: V[] = [];
  readonly groups: SharedGroup<V>[] = [];
  clear(): void {
    this.subs.length = 0;
    this.groups.length = 0;
  }
}

interface CachedMatch<V> {
  readonly subs: V[];
  readonly groups: SharedGroup<V>[];
}

export class TopicTree<V> {
  private readonly root = new Node<V>();
  private count = 0;
  private readonly cache = new Map<string, CachedMatch<V>>();

  /** Every change of subscriptions drops the cached matches. */
  private changed(): void {
    if (this.cache.size > 0) this.cache.clear();
  }

  get size(): number {
    return this.count;
  }

  /** Add or replace the subscription of `key` on `filter` (optionally in a share group). Returns true if it was new. */
  add(filter: string, key: string, value: V, group?: string): boolean {
    this.changed();
    const node = this.walkCreate(filter);
    let map: Map<string, V>;
    if (group === undefined) {
      map = node.subs ??= new Map();
    } else {
      node.shared ??= new Map();
      let g = node.shared.get(group);
      if (!g) node.shared.set(group, (g = { name: group, members: new Map(), cursor: 0 }));
      map = g.members;
    }
    const isNew = !map.has(key);
    map.set(key, value);
    if (isNew) this.count++;
    return isNew;
  }

  get(filter: string, key: string, group?: string): V | undefined {
    const node = this.walkFind(filter);
    if (!node) return undefined;
    if (group === undefined) return node.subs?.get(key);
    return node.shared?.get(group)?.members.get(key);
  }

  /** The share group `name` on exactly `filter`, if any. */
  group(filter: string, name: string): SharedGroup<V> | undefined {
    return this.walkFind(filter)?.shared?.get(name);
  }

  /** Remove; returns true if a subscription existed. Prunes empty nodes. */
  remove(filter: string, key: string, group?: string): boolean {
    const levels = filter.split('/');
    const path: Node<V>[] = [this.root];
    let node: Node<V> | null = this.root;
    for (const l of levels) {
      node = child(node, l);
      if (!node) return false;
      path.push(node);
    }
    let removed = false;
    if (group === undefined) {
      removed = node.subs?.delete(key) ?? false;
      if (node.subs && node.subs.size === 0) node.subs = null;
    } else {
      const g = node.shared?.get(group);
      if (g) {
        removed = g.members.delete(key);
        if (g.members.size === 0) node.shared!.delete(group);
        if (node.shared!.size === 0) node.shared = null;
      }
    }
    if (removed) {
      this.count--;
      this.changed();
    }
    // prune
    for (let i = levels.length; i > 0; i--) {
      const n = path[i];
      if (n.subs || n.shared || n.children?.size || n.plus || n.hash) break;
      const parent = path[i - 1];
      const l = levels[i - 1];
      if (l === '+') parent.plus = null;
      else if (l === '#') parent.hash = null;
      else {
        parent.children!.delete(l);
        if (parent.children!.size === 0) parent.children = null;
      }
    }
    return removed;
  }

  /** Collect every subscription matching a topic name into `out` (cleared first). */
  match(topic: string, out: MatchResult<V>): MatchResult<V> {
    out.clear();
    const hit = this.cache.get(topic);
    if (hit !== undefined) {
      for (let i = 0; i < hit.subs.length; i++) out.subs.push(hit.subs[i]);
      for (let i = 0; i < hit.groups.length; i++) out.groups.push(hit.groups[i]);
      return out;
    }
    const levels = topic.split('/');
    // 4.7.2-1: wildcards at the first level never match topics starting with '$'.
    const dollar = topic.charCodeAt(0) === 0x24;
    this.matchAt(this.root, levels, 0, out, dollar);
    if (this.cache.size < MATCH_CACHE_MAX)
      this.cache.set(topic, { subs: out.subs.slice(), groups: out.groups.slice() });
    return out;
  }

  /** How many topic names have cached matches (for tests). */
  get cachedTopics(): number {
    return this.cache.size;
  }

  private matchAt(node: Node<V>, levels: string[], i: number, out: MatchResult<V>, dollar: boolean): void {
    const wild = !(dollar && i === 0);
    if (wild && node.hash) collect(node.hash, out); // '#' also matches the parent level
    if (i === levels.length) {
      collect(node, out);
      return;
    }
    const c = node.children?.get(levels[i]);
    if (c) this.matchAt(c, levels, i + 1, out, dollar);
    if (wild && node.plus) this.matchAt(node.plus, levels, i + 1, out, dollar);
  }

  private walkCreate(filter: string): Node<V> {
    let node = this.root;
    for (const l of filter.split('/')) {
      if (l === '+') node = node.plus ??= new Node();
      else if (l === '#') node = node.hash ??= new Node();
      else {
        node.children ??= new Map();
        let c = node.children.get(l);
        if (!c) node.children.set(l, (c = new Node()));
        node = c;
      }
    }
    return node;
  }

  private walkFind(filter: string): Node<V> | null {
    let node: Node<V> | null = this.root;
    for (const l of filter.split('/')) {
      node = child(node, l);
      if (!node) return null;
    }
    return node;
  }
}

function child<V>(node: Node<V>, l: string): Node<V> | null {
  if (l === '+') return node.plus;
  if (l === '#') return node.hash;
  return node.children?.get(l) ?? null;
}

function collect<V>(node: Node<V>, out: MatchResult<V>): void {
  if (node.subs) for (const v of node.subs.values()) out.subs.push(v);
  if (node.shared) for (const g of node.shared.values()) out.groups.push(g);
}

/** Does a topic name match a filter (no shared prefix)? Reference implementation for tests and retained lookup. */
export { topicMatches } from '../codec/index.ts';
