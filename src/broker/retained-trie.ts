/**
 * A trie of topic names, one node per topic level, for answering wildcard filters (4.7) by
 * walking only the part of the tree a filter can reach. Holds at most one value per topic
 * name; empty branches are pruned on delete. Pure: no I/O, no clock.
 *
 * Matching rules: `+` takes any one level (including an empty one), `#` takes the rest of the
 * tree including the level it follows, and a filter whose first level is a wildcard skips
 * topics starting with `$` (MQTT-4.7.2-1).
 */

class Node<V> {
  children: Map<string, Node<V>> | null = null;
  value: V | undefined = undefined;
  has = false;
}

export class TopicLevelTrie<V> {
  private readonly root = new Node<V>();
  private nodes = 0;
  private count = 0;

  /** Topic names held. */
  get size(): number {
    return this.count;
  }

  /** Nodes below the root (0 when empty: deletes prune every branch left without values). */
  get nodeCount(): number {
    return this.nodes;
  }

  set(topic: string, value: V): void {
    let node = this.root;
    for (const l of topic.split('/')) {
      node.children ??= new Map();
      let c = node.children.get(l);
      if (!c) {
        node.children.set(l, (c = new Node()));
        this.nodes++;
      }
      node = c;
    }
    if (!node.has) this.count++;
    node.has = true;
    node.value = value;
  }

  /** Remove a topic's value; returns false when there was none. Prunes emptied nodes. */
  delete(topic: string): boolean {
    const levels = topic.split('/');
    const path: Node<V>[] = [this.root];
    let node = this.root;
    for (const l of levels) {
      const c = node.children?.get(l);
      if (!c) return false;
      path.push(c);
      node = c;
    }
    if (!node.has) return false;
    node.has = false;
    node.value = undefined;
    this.count--;
    for (let i = levels.length; i > 0; i--) {
      const n = path[i];
      if (n.has || n.children) break;
      const parent = path[i - 1];
      parent.children!.delete(levels[i - 1]);
      if (parent.children!.size === 0) parent.children = null;
      this.nodes--;
    }
    return true;
  }

  /** Append to `out` the value of every topic the filter (no `$share/` prefix) matches, in no set order. */
  match(filter: string, out: V[]): V[] {
    matchAt(this.root, filter.split('/'), 0, out);
    return out;
  }
}

function matchAt<V>(node: Node<V>, f: string[], i: number, out: V[]): void {
  if (i === f.length) {
    if (node.has) out.push(node.value as V);
    return;
  }
  const l = f[i];
  if (l === '#') {
    // '#' also matches the parent level ("a/#" matches "a"); the root holds no topic.
    if (node.has) out.push(node.value as V);
    if (node.children) for (const [name, c] of node.children) if (i > 0 || !isDollar(name)) collectAll(c, out);
    return;
  }
  if (l === '+') {
    if (node.children) for (const [name, c] of node.children) if (i > 0 || !isDollar(name)) matchAt(c, f, i + 1, out);
    return;
  }
  const c = node.children?.get(l);
  if (c) matchAt(c, f, i + 1, out);
}

function collectAll<V>(node: Node<V>, out: V[]): void {
  if (node.has) out.push(node.value as V);
  if (node.children) for (const c of node.children.values()) collectAll(c, out);
}

/** MQTT-4.7.2-1: a topic whose first level starts with '$' is out of reach of a leading wildcard. */
const isDollar = (level: string): boolean => level.charCodeAt(0) === 0x24;
