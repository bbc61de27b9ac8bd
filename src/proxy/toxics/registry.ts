/** All toxic types by name, and validation of Toxiproxy-shaped toxic JSON into a ToxicSpec. */
import { z } from 'zod';
import type { ToxicInput, ToxicSpec } from '../types.ts';
import { formatZodError } from './attrs.ts';
import { byteToxics } from './byte-toxics.ts';
import { mqttToxics } from './mqtt-toxics.ts';
import { proxyToxics } from './proxy-toxics.ts';
import type { ToxicDef } from './toxic.ts';

export const toxicTypes: ReadonlyMap<string, ToxicDef> = new Map(
  [...byteToxics, ...mqttToxics, ...proxyToxics].map((d) => [d.type, d as ToxicDef]),
);

export class ToxicError extends Error {
  constructor(
    message: string,
    /** Dotted path of the offending field, e.g. "attributes.latency". */
    readonly field: string,
  ) {
    super(message);
    this.name = 'ToxicError';
  }
}

const inputSchema = z.object({
  name: z.string().min(1).max(200).optional(),
  type: z.string(),
  stream: z.enum(['upstream', 'downstream']).optional(),
  toxicity: z.number().min(0).max(1).optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Validates a toxic given as JSON/YAML data. Fills defaults as Toxiproxy does (stream
 * "downstream", toxicity 1, name "<type>_<stream>"). Errors name the field: `${where}.attributes.x`.
 */
export function normalizeToxic(input: unknown, where = 'toxic'): { spec: ToxicSpec; def: ToxicDef; attrs: unknown } {
  const base = inputSchema.safeParse(input);
  if (!base.success) {
    const first = base.error.issues[0];
    throw new ToxicError(formatZodError(base.error, where), [where, ...first.path.map(String)].join('.'));
  }
  const t = base.data;
  const def = toxicTypes.get(t.type);
  if (def === undefined) {
    throw new ToxicError(
      `${where}.type: unknown toxic type "${t.type}"; known: ${[...toxicTypes.keys()].join(', ')}`,
      `${where}.type`,
    );
  }
  const parsed = def.schema.safeParse(t.attributes ?? {});
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ToxicError(
      formatZodError(parsed.error, `${where}.attributes`),
      [where, 'attributes', ...first.path.map(String)].join('.'),
    );
  }
  const stream = t.stream ?? 'downstream';
  const spec: ToxicSpec = {
    name: t.name ?? `${t.type}_${stream}`,
    type: t.type,
    stream,
    toxicity: t.toxicity ?? 1,
    attributes: { ...((t.attributes ?? {}) as ToxicSpec['attributes']) },
  };
  return { spec, def, attrs: parsed.data };
}

/** Shorthand so callers can write `toxic('mqtt_drop', { packet_type: 'puback', nth: 1 }, 'downstream')`. */
export function toxic(type: string, attributes: ToxicInput['attributes'] = {}, stream?: ToxicInput['stream'], name?: string): ToxicInput {
  return { type, attributes, ...(stream !== undefined ? { stream } : {}), ...(name !== undefined ? { name } : {}) };
}
