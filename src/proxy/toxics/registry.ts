/** All toxic types by name, and validation of Toxiproxy-shaped toxic JSON into a ToxicSpec. */
import { z } from 'zod';
import type { ToxicInput, ToxicSpec } from '../types.ts';
import { didYouMean } from '../../common/close-match.ts';
import { checkObject, problemLine, zodProblems, type Problem } from '../../common/zod-problems.ts';
import { byteToxics } from './byte-toxics.ts';
import { mqttToxics } from './mqtt-toxics.ts';
import { proxyToxics } from './proxy-toxics.ts';
import type { ToxicDef } from './toxic.ts';

export const toxicTypes: ReadonlyMap<string, ToxicDef> = new Map(
  [...byteToxics, ...mqttToxics, ...proxyToxics].map((d) => [d.type, d as ToxicDef]),
);

export class ToxicError extends Error {
  /** Every problem found, each with its field path; the message lists them all. */
  readonly problems: Problem[];

  constructor(
    message: string,
    /** Dotted path of the (first) offending field, e.g. "attributes.latency". */
    readonly field: string,
    problems?: Problem[],
  ) {
    super(message);
    this.name = 'ToxicError';
    this.problems = problems ?? [
      { path: field, message: message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message },
    ];
  }

  static of(problems: Problem[]): ToxicError {
    return new ToxicError(problems.map(problemLine).join('; '), problems[0].path, problems);
  }
}

/** Toxiproxy's toxic fields; anything else is an unknown key. */
const inputSchema = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  type: z.string(),
  stream: z.enum(['upstream', 'downstream']).optional(),
  toxicity: z.number().min(0).max(1).optional(),
  attributes: z
    .record(z.string(), z.unknown(), { error: 'expected a mapping of attribute names to values' })
    .optional(),
});

/** Every problem with one toxic: its fields, its type (with a close match), its attributes (unknown ones too). */
export function toxicProblems(input: unknown, where = 'toxic'): Problem[] {
  const base = inputSchema.safeParse(input);
  const out = base.success ? [] : zodProblems(inputSchema, input, base.error.issues, where);
  const raw = (input ?? {}) as Record<string, unknown>;
  if (typeof raw.type !== 'string') return out;
  const def = toxicTypes.get(raw.type);
  if (def === undefined) {
    const m = didYouMean(raw.type, toxicTypes.keys());
    out.push({
      path: `${where}.type`,
      message: `unknown toxic type "${raw.type}"${m}; known: ${[...toxicTypes.keys()].join(', ')}`,
    });
    return out;
  }
  const attrs = raw.attributes ?? {};
  if (typeof attrs !== 'object' || attrs === null || Array.isArray(attrs)) return out; // reported above
  out.push(...checkObject(def.schema, attrs, `${where}.attributes`));
  return out;
}

/**
 * Validates a toxic given as JSON/YAML data. Fills defaults as Toxiproxy does (stream
 * "downstream", toxicity 1, name "<type>_<stream>"). Throws one ToxicError naming every bad
 * field (`${where}.attributes.x`), unknown fields and attributes included.
 */
export function normalizeToxic(input: unknown, where = 'toxic'): { spec: ToxicSpec; def: ToxicDef; attrs: unknown } {
  const problems = toxicProblems(input, where);
  if (problems.length > 0) throw ToxicError.of(problems);
  const t = inputSchema.parse(input);
  const def = toxicTypes.get(t.type)!;
  const attrs = def.schema.parse(t.attributes ?? {});
  const stream = t.stream ?? 'downstream';
  const spec: ToxicSpec = {
    name: t.name ?? `${t.type}_${stream}`,
    type: t.type,
    stream,
    toxicity: t.toxicity ?? 1,
    attributes: { ...((t.attributes ?? {}) as ToxicSpec['attributes']) },
  };
  return { spec, def, attrs };
}

/** Shorthand so callers can write `toxic('mqtt_drop', { packet_type: 'puback', nth: 1 }, 'downstream')`. */
export function toxic(
  type: string,
  attributes: ToxicInput['attributes'] = {},
  stream?: ToxicInput['stream'],
  name?: string,
): ToxicInput {
  return { type, attributes, ...(stream !== undefined ? { stream } : {}), ...(name !== undefined ? { name } : {}) };
}
