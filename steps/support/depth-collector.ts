import type { Packet, PublishPacket } from '../../src/codec/index.ts';
import { expand } from './depth-burst.ts';
import type { ConformanceWorld as W } from './world.ts';

/**
 * Acknowledges and counts the messages "<prefix><i>" (i = 1..n) that reach `name` on `topic`,
 * from the moment it is installed until the scenario ends (so a broker's in-flight window to
 * the subscriber keeps moving while a burst is being published).
 */
export class Collector {
  readonly seen: Uint8Array;
  count = 0;
  lastIndex = 0;
  outOfOrder: string[] = [];
  readonly byQos = [0, 0, 0];
  problems: string[] = [];
  private readonly inQos2 = new Set<number>();
  constructor(
    private readonly w: W,
    private readonly name: string,
    readonly prefix: string,
    private readonly topic: string,
    readonly n: number,
  ) {
    this.seen = new Uint8Array(n + 1);
    const c = w.client(name);
    for (let k = 0; k < c.inbox.length;) {
      const p = c.inbox[k];
      const i = p.type === 'publish' ? this.index(p) : undefined;
      if (i !== undefined) {
        c.inbox.splice(k, 1);
        this.take(p as PublishPacket, i);
      } else k++;
    }
    const prev = c.onPacket;
    c.onPacket = (p) => this.claim(p) || (prev?.(p) ?? false);
  }
  private index(p: PublishPacket): number | undefined {
    const s = p.payload.toString();
    if (!s.startsWith(this.prefix)) return undefined;
    const i = Number(s.slice(this.prefix.length));
    if (!Number.isInteger(i) || i < 1 || i > this.n || p.topic !== this.w.topic(expand(this.topic, i)))
      return undefined;
    return i;
  }
  private claim(p: Packet): boolean {
    const c = this.w.client(this.name);
    if (p.type === 'pubrel' && this.inQos2.has(p.packetId)) {
      this.inQos2.delete(p.packetId);
      c.send({ type: 'pubcomp', packetId: p.packetId });
      return true;
    }
    if (p.type !== 'publish') return false;
    const i = this.index(p);
    if (i === undefined) return false;
    this.take(p, i);
    return true;
  }
  private take(p: PublishPacket, i: number): void {
    const c = this.w.client(this.name);
    if (p.qos === 1) c.send({ type: 'puback', packetId: p.packetId! });
    if (p.qos === 2) {
      this.inQos2.add(p.packetId!);
      c.send({ type: 'pubrec', packetId: p.packetId! });
    }
    if (this.seen[i]) {
      if (!p.dup && this.problems.length < 10)
        this.problems.push(`message ${this.prefix}${i} arrived twice (second copy without DUP)`);
      return;
    }
    this.seen[i] = 1;
    this.count++;
    this.byQos[p.qos]++;
    if (i < this.lastIndex && this.outOfOrder.length < 10)
      this.outOfOrder.push(`message ${this.prefix}${i} arrived after ${this.prefix}${this.lastIndex}`);
    this.lastIndex = Math.max(this.lastIndex, i);
  }
  get qos2Pending(): number {
    return this.inQos2.size;
  }
}
const collectors = new WeakMap<W, Map<string, Collector>>();
const collectorKey = (name: string, prefix: string, topic: string): string => `${name}|${prefix}|${topic}`;
export function collector(w: W, name: string, prefix: string, topic: string, n: number): Collector {
  const m = collectors.get(w) ?? new Map<string, Collector>();
  collectors.set(w, m);
  const k = collectorKey(name, prefix, topic);
  let c = m.get(k);
  if (!c || c.n < n) {
    c = new Collector(w, name, prefix, topic, n);
    m.set(k, c);
  }
  return c;
}
