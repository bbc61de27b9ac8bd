/**
 * Pure "does this packet get the fault?" decision for MQTT-aware toxics: filters on packet
 * type, topic filter, packet id and client id, a time window, the Nth / every Nth match, and
 * a per-packet probability drawn from a seeded Rng. Time comes in as an argument.
 */
import { z } from 'zod';
import type { Rng } from '../../common/rng.ts';
import type { PacketInfo } from '../types.ts';
import { duration, posInt, prob } from '../toxics/attrs.ts';
import { packetNames } from '../mqtt-frame.ts';
import { didYouMean } from '../../common/close-match.ts';
import { topicFilterMatches } from './topic-match.ts';

const typeName = z
  .string()
  .transform((s) => s.toLowerCase())
  .refine((s) => packetNames.includes(s as never) && s !== 'reserved', {
    error: (iss) => {
      const known = packetNames.filter((n) => n !== 'reserved');
      return `unknown packet type${didYouMean(String(iss.input), known)}; expected one of ${known.join(', ')}`;
    },
  });

export const matchSchema = z.object({
  /** One packet type name or a list ("puback", ["pubrec","pubrel"]); case-insensitive. */
  packet_type: z.union([typeName, z.array(typeName)]).optional(),
  /** MQTT topic filter on the PUBLISH topic (+ and # allowed). */
  topic: z.string().optional(),
  packet_id: z.number().int().min(0).max(65535).optional(),
  client_id: z.string().optional(),
  /** Only the Nth matching packet (1 = the first). */
  nth: posInt.optional(),
  /** Every Nth matching packet (N, 2N, 3N, …). */
  every: posInt.optional(),
  /** Window start, counted from when the toxic was added. */
  from_ms: duration.optional(),
  /** Window length; after it the toxic stops matching. */
  for_ms: duration.optional(),
  /** Aliases of from_ms / for_ms, so YAML can say `for: 10s`. */
  from: duration.optional(),
  for: duration.optional(),
  /** Per-packet probability, after all other conditions. */
  probability: prob.optional(),
  /** Count matches for nth/every over the whole proxy (default) or per link. */
  count_scope: z.enum(['proxy', 'link']).optional(),
});
export type MatchAttrs = z.infer<typeof matchSchema>;

export interface MatchContext {
  now: number;
  clientId: string | undefined;
  linkId: number;
}

/** State of one toxic's matcher: when it was added and how many packets matched so far. */
export class PacketMatcher {
  private readonly types: Set<string> | undefined;
  private readonly fromMs: number;
  private readonly forMs: number | undefined;
  private count = 0;
  private readonly perLink = new Map<number, number>();
  constructor(
    private readonly a: MatchAttrs,
    private readonly addedAt: number,
  ) {
    const t = a.packet_type;
    this.types = t === undefined ? undefined : new Set(Array.isArray(t) ? t : [t]);
    this.fromMs = a.from_ms ?? a.from ?? 0;
    this.forMs = a.for_ms ?? a.for;
  }

  /** True when the window has closed for good (the toxic will never match again). */
  expired(now: number): boolean {
    return this.forMs !== undefined && now >= this.addedAt + this.fromMs + this.forMs;
  }

  test(p: PacketInfo | undefined, ctx: MatchContext, rng: Rng): boolean {
    if (p === undefined) return false;
    const a = this.a;
    if (this.types !== undefined && !this.types.has(p.type)) return false;
    if (a.topic !== undefined && (p.topic === undefined || !topicFilterMatches(a.topic, p.topic))) return false;
    if (a.packet_id !== undefined && p.packetId !== a.packet_id) return false;
    if (a.client_id !== undefined && ctx.clientId !== a.client_id) return false;
    const start = this.addedAt + this.fromMs;
    if (ctx.now < start) return false;
    if (this.forMs !== undefined && ctx.now >= start + this.forMs) return false;
    let n: number;
    if (a.count_scope === 'link') {
      n = (this.perLink.get(ctx.linkId) ?? 0) + 1;
      this.perLink.set(ctx.linkId, n);
    } else n = ++this.count;
    if (a.nth !== undefined && n !== a.nth) return false;
    if (a.every !== undefined && n % a.every !== 0) return false;
    if (a.probability !== undefined && !rng.chance(a.probability)) return false;
    return true;
  }
}
