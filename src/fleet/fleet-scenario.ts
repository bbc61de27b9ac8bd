/**
 * Fleet scenarios (scenarios/fleets/*.yaml): N virtual devices publishing on a schedule over
 * a link profile, subscribers watching them, extra faults, and the checkers to run. Every
 * count and duration is bounded; errors name the file and the key path.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CHECKERS, type CheckerName } from '../checker/index.ts';

export const fleetDir = resolve(fileURLToPath(new URL('../../scenarios/fleets/', import.meta.url)));

const qos = z.union([z.literal(0), z.literal(1), z.literal(2)]);
const topicTemplate = z.string().min(1).max(200).refine((t) => !/[+#]/.test(t.replace(/\{id\}/g, '')), 'a topic name must not contain + or #');
const checkerName = z.string().refine((n) => n in CHECKERS, { message: `unknown checker; known: ${Object.keys(CHECKERS).join(', ')}` });
const toxic = z.object({
  type: z.string().min(1),
  name: z.string().optional(),
  stream: z.enum(['upstream', 'downstream']).optional(),
  toxicity: z.number().min(0).max(1).optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
}).strict();

export const fleetSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  description: z.string().min(1),
  seed: z.number().int().min(0).max(0xffffffff),
  version: z.enum(['3.1.1', '5.0']).default('3.1.1'),
  /** Publishing stops after this long (scenario time, before time scaling). */
  duration_ms: z.number().int().min(100).max(600_000),
  /** Multiplies duration and intervals (default 1). */
  time_scale: z.number().positive().max(10).default(1),
  /** Link profile for every device (scenarios/links/<name>.yaml). */
  link: z.string().optional(),
  devices: z.object({
    count: z.number().int().min(1).max(500),
    id_prefix: z.string().regex(/^[A-Za-z0-9_-]+$/).max(16).default('dev'),
    persistent: z.boolean().default(true),
    publish: z.object({
      /** "{id}" is replaced by the device name. */
      topic: topicTemplate,
      qos,
      interval_ms: z.number().int().min(5).max(60_000),
      max_messages: z.number().int().min(1).max(10_000),
      retain: z.boolean().default(false),
    }).strict(),
    will: z.object({ topic: topicTemplate, qos }).strict().optional(),
  }).strict(),
  subscribers: z.array(z.object({
    id: z.string().regex(/^[A-Za-z0-9_-]+$/).max(24),
    filter: z.string().min(1).max(200),
    qos,
    persistent: z.boolean().default(false),
    link: z.string().optional(),
  }).strict()).max(50).default([]),
  /** Extra toxics on every device link (mqtt_* toxics are scoped to that device). */
  faults: z.array(toxic).max(20).default([]),
  checks: z.array(checkerName).min(1).default(['qos1-at-least-once', 'ordered-topics', 'session-resume']),
}).strict().superRefine((s, ctx) => {
  const total = s.devices.count * s.devices.publish.max_messages;
  if (total > 200_000) ctx.addIssue({ code: 'custom', path: ['devices', 'publish', 'max_messages'], message: `count x max_messages = ${total} exceeds the bound of 200000 messages` });
});

export type FleetScenario = z.infer<typeof fleetSchema>;

export class FleetScenarioError extends Error {
  constructor(readonly file: string, readonly path: string, problem: string) {
    super(`${file}: ${path === '' ? '' : `${path}: `}${problem}`);
    this.name = 'FleetScenarioError';
  }
}

/** Validates scenario data already parsed from YAML or JSON; `file` is used in errors. */
export function parseFleetScenario(data: unknown, file: string): FleetScenario {
  const r = fleetSchema.safeParse(data);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new FleetScenarioError(file, i.path.map(String).join('.'), i.message);
  }
  return { ...r.data, checks: r.data.checks as CheckerName[] };
}

/** Loads a scenario by name (scenarios/fleets/<name>.yaml) or path. */
export function loadFleetScenario(nameOrPath: string): FleetScenario {
  const file = /[/\\]|\.ya?ml$/.test(nameOrPath) ? nameOrPath : resolve(fleetDir, `${nameOrPath}.yaml`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new FleetScenarioError(file, '', `cannot read: ${(e as Error).message}`);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    throw new FleetScenarioError(file, '', `not valid YAML: ${(e as Error).message}`);
  }
  return parseFleetScenario(data, file);
}
