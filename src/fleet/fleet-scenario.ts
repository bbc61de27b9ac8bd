/**
 * Fleet scenarios (scenarios/fleets/*.yaml): N lean virtual devices with a publishing
 * behaviour over a link profile (or a mix of profiles by share), hub subscribers watching them,
 * fleet events (reconnect storms, mass death), a retained configuration fanned out, commands
 * that persistent sessions catch up on, extra faults, the checkers and k6-style thresholds.
 * Every error is reported at once, with its key path and a close match for a typo.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CHECKERS, type CheckerName } from '../checker/index.ts';
import { listProfiles, parseDuration } from '../proxy/index.ts';
import { didYouMean } from '../common/index.ts';
import { configIssues, formatIssues, type ConfigIssue } from './config-errors.ts';
import { parseThreshold } from './results/thresholds.ts';

export const fleetDir = resolve(fileURLToPath(new URL('../../scenarios/fleets/', import.meta.url)));

const qos = z.union([z.literal(0), z.literal(1), z.literal(2)], { error: 'expected a QoS: 0, 1 or 2' });
const ms = (max: number, min = 0) =>
  z.preprocess(
    (v) => parseDuration(v) ?? v,
    z.number({ error: 'expected a duration: ms or "300ms", "2s", "1m"' }).int().min(min).max(max),
  );
const topicTemplate = z
  .string()
  .min(1)
  .max(200)
  .refine((t) => !/[+#]/.test(t.replace(/\{id\}/g, '')), 'a topic name must not contain + or #');
const checkerName = z
  .string()
  .refine((n) => n in CHECKERS, { message: `unknown checker; known: ${Object.keys(CHECKERS).join(', ')}` });
const share = z.number().min(0).max(1);

export const BEHAVIOURS = ['periodic', 'poisson', 'bursty', 'sleepy'] as const;

const fault = z
  .object({
    type: z.literal('mqtt_drop', { error: 'the in-process link emulation supports fault type mqtt_drop' }),
    name: z.string().optional(),
    stream: z.enum(['upstream', 'downstream']).default('downstream'),
    attributes: z
      .object({
        packet_type: z.union([z.string(), z.array(z.string())]),
        probability: share.default(1),
      })
      .strict(),
  })
  .strict();

export const fleetSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    description: z.string().min(1),
    seed: z.number().int().min(0).max(0xffffffff),
    version: z.enum(['3.1.1', '5.0']).default('3.1.1'),
    /** Publishing (and the fault window) lasts this long; then the links heal and the fleet drains. */
    duration_ms: ms(3_600_000, 100),
    /** A link profile (scenarios/links/<name>.yaml) for every device, or a mix by share: {lte: 0.8, flaky-cellular: 0.2}. */
    link: z.union([z.string(), z.record(z.string(), share)]).optional(),
    devices: z
      .object({
        count: z.number().int().min(1).max(1_000_000),
        id_prefix: z
          .string()
          .regex(/^[A-Za-z0-9_-]+$/)
          .max(16)
          .default('dev'),
        persistent: z.boolean().default(true),
        keep_alive_s: z.number().int().min(0).max(65535).default(60),
        /** A QoS 1/2 flight unacknowledged this long makes the device reconnect and resend (3.1.1 resends only on a new connection). */
        ack_timeout_ms: ms(600_000, 100).default(30_000),
        /** How long a device waits for CONNACK before it gives up on the attempt. */
        connect_timeout_ms: ms(600_000, 100).default(30_000),
        /** Connections opened per second during the ramp (the whole fleet, all shards together). */
        ramp_per_s: z.number().positive().max(100_000).default(1000),
        behaviour: z.enum(BEHAVIOURS).default('periodic'),
        publish: z
          .object({
            /** "{id}" is replaced by the device name. */
            topic: topicTemplate,
            qos,
            /** periodic: the period; poisson: the mean gap; bursty: the period between bursts; sleepy: the sleep between wake-ups. */
            interval_ms: ms(3_600_000, 5),
            max_messages: z.number().int().min(1).max(100_000).default(100_000),
            retain: z.boolean().default(false),
            /** bursty and sleepy: messages per burst / per wake-up. */
            burst: z.number().int().min(1).max(1000).default(5),
          })
          .strict(),
        will: z.object({ topic: topicTemplate, qos }).strict().optional(),
        /** Devices subscribe to this hub topic (the retained config, commands) on every clean connect. */
        subscribe: z
          .object({ topic: z.string().min(1).max(200), qos })
          .strict()
          .optional(),
      })
      .strict(),
    /** Hub subscribers on a clean link (one per shard and broker), watching the devices. */
    subscribers: z
      .array(
        z
          .object({
            id: z
              .string()
              .regex(/^[A-Za-z0-9_-]+$/)
              .max(24),
            filter: z.string().min(1).max(200),
            qos,
            persistent: z.boolean().default(false),
          })
          .strict(),
      )
      .max(50)
      .default([]),
    /** A retained configuration the hub publishes before the devices connect (fan-out via devices.subscribe). */
    config: z
      .object({ topic: topicTemplate, qos, bytes: z.number().int().min(1).max(65536).default(64) })
      .strict()
      .optional(),
    /** Commands the hub publishes every every_ms between from_ms and to_ms (persistent sessions catch up). */
    commands: z
      .object({ topic: topicTemplate, qos, every_ms: ms(600_000, 10), from_ms: ms(3_600_000), to_ms: ms(3_600_000) })
      .strict()
      .optional(),
    /** Fleet events: an outage of a share of the links (a reconnect storm when it ends), or mass death (wills). */
    events: z
      .array(
        z.discriminatedUnion('type', [
          z
            .object({
              type: z.literal('outage'),
              at_ms: ms(3_600_000),
              for_ms: ms(3_600_000, 1),
              share,
              existing: z.enum(['reset', 'stall']).default('reset'),
            })
            .strict(),
          z.object({ type: z.literal('death'), at_ms: ms(3_600_000), share }).strict(),
        ]),
      )
      .max(50)
      .default([]),
    /** Extra MQTT-aware faults on every device link. */
    faults: z.array(fault).max(20).default([]),
    checks: z.array(checkerName).min(1).default(['qos1-at-least-once', 'ordered-topics', 'session-resume']),
    /** k6-style thresholds, e.g. "p99<500ms", "connect_p99<2s", "lost==0". */
    thresholds: z.array(z.string()).default([]),
  })
  .strict()
  .superRefine((s, ctx) => {
    const total =
      s.devices.count *
      Math.min(
        s.devices.publish.max_messages,
        Math.ceil(s.duration_ms / s.devices.publish.interval_ms) * s.devices.publish.burst + 1,
      );
    if (total > 20_000_000)
      ctx.addIssue({
        code: 'custom',
        path: ['devices', 'publish', 'max_messages'],
        message: `the run would publish up to ${total} messages, above the bound of 20000000`,
      });
    const profiles = listProfiles();
    for (const n of typeof s.link === 'string' ? [s.link] : Object.keys(s.link ?? {})) {
      if (n !== 'none' && !/[/\\]|\.ya?ml$/.test(n) && !profiles.includes(n))
        ctx.addIssue({
          code: 'custom',
          path: typeof s.link === 'string' ? ['link'] : ['link', n],
          message: `unknown link profile \`${n}\`${didYouMean(n, profiles)}; known: none, ${profiles.join(', ')}`,
        });
    }
    if (typeof s.link === 'object') {
      const sum = Object.values(s.link).reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 1) > 1e-6)
        ctx.addIssue({
          code: 'custom',
          path: ['link'],
          message: `link shares must add up to 1, they add up to ${sum}`,
        });
    }
    if (s.commands && s.commands.to_ms < s.commands.from_ms)
      ctx.addIssue({ code: 'custom', path: ['commands', 'to_ms'], message: 'must not be before from_ms' });
    s.thresholds.forEach((t, i) => {
      const r = parseThreshold(t);
      if (typeof r === 'string') ctx.addIssue({ code: 'custom', path: ['thresholds', i], message: r });
    });
    if (s.config && s.devices.subscribe === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['devices', 'subscribe'],
        message: 'config is fanned out through devices.subscribe; give it (topic: the config topic)',
      });
  });

export type FleetScenario = z.infer<typeof fleetSchema> & { checks: CheckerName[] };

export class FleetScenarioError extends Error {
  /** `path` is the first issue's key path; `issues` holds all of them. */
  readonly path: string;
  constructor(
    readonly file: string,
    readonly issues: ConfigIssue[],
  ) {
    super(formatIssues(file, issues));
    this.name = 'FleetScenarioError';
    this.path = issues[0]?.path ?? '';
  }
}

/** Validates scenario data already parsed from YAML or JSON; `file` is used in errors. */
export function parseFleetScenario(data: unknown, file: string): FleetScenario {
  const r = fleetSchema.safeParse(data);
  if (!r.success) throw new FleetScenarioError(file, configIssues(fleetSchema, r.error, data));
  return { ...r.data, checks: r.data.checks as CheckerName[] };
}

/** Loads a scenario by name (scenarios/fleets/<name>.yaml) or path. */
export function loadFleetScenario(nameOrPath: string): FleetScenario {
  const file = /[/\\]|\.ya?ml$/.test(nameOrPath) ? nameOrPath : resolve(fleetDir, `${nameOrPath}.yaml`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new FleetScenarioError(file, [{ path: '', message: `cannot read: ${(e as Error).message}` }]);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    throw new FleetScenarioError(file, [{ path: '', message: `not valid YAML: ${(e as Error).message}` }]);
  }
  return parseFleetScenario(data, file);
}
