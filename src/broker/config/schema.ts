import { z } from 'zod';
import { LOG_LEVELS, type LogLevel } from '../logger.ts';

/**
 * The broker config file (YAML). Every leaf carries its own "expected ..." message; the loader
 * adds the key path and the value found. Unknown keys are errors (strict objects throughout).
 */
const intIn = (min: number, max: number, what: string) =>
  z
    .int({ error: `expected ${what}` })
    .min(min, { error: `expected ${what}` })
    .max(max, { error: `expected ${what}` });
const positiveInt = intIn(1, Number.MAX_SAFE_INTEGER, 'a positive integer');
const nonNegativeInt = intIn(0, Number.MAX_SAFE_INTEGER, 'a non-negative integer');
const port = intIn(0, 65535, 'a port number 0..65535 (0 picks a free port)');
const bool = z.boolean({ error: 'expected true or false' });
const text = z.string({ error: 'expected a string' }).min(1, { error: 'expected a non-empty string' });
const mapping = <T extends z.core.$ZodLooseShape>(shape: T) =>
  z.strictObject(shape, { error: 'expected a mapping (key: value lines)' });
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `expected one of ${values.map((v) => `"${v}"`).join(', ')}` });

export { LOG_LEVELS, type LogLevel };

export const listenerSchema = mapping({
  protocol: oneOf(['mqtt', 'mqtts', 'ws', 'wss'] as const),
  host: text.optional(),
  port: port.optional(),
  /** PEM file paths, relative to the config file; required for mqtts and wss. */
  cert: text.optional(),
  key: text.optional(),
  ca: text.optional(),
  requireClientCert: bool.optional(),
  /** WebSocket URL path; default /mqtt. */
  path: z
    .string({ error: 'expected a string' })
    .regex(/^\//, { error: 'expected a path starting with "/"' })
    .optional(),
});

export const userSchema = mapping({
  username: text,
  password: z
    .string({ error: 'expected a string' })
    .regex(/^scrypt\$/, {
      error: 'expected an scrypt hash "scrypt$N$r$p$salt$hash" (make one with `mqtt-harness broker hash-password`)',
    })
    .optional(),
  scram: z
    .string({ error: 'expected a string' })
    .regex(/^SCRAM-SHA-256\$/, {
      error:
        'expected SCRAM credentials "SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey" (from `mqtt-harness broker hash-password`)',
    })
    .optional(),
});

export const aclRuleSchema = mapping({
  topic: text,
  /** deny: neither read nor write, whatever other rules grant (mosquitto `topic deny`). */
  access: oneOf(['read', 'write', 'readwrite', 'deny'] as const),
  user: text.optional(),
  clientId: text.optional(),
});

export const limitsSchema = mapping({
  maxConnections: positiveInt.optional(),
  maxQueuedMessages: nonNegativeInt.optional(),
  queueDropPolicy: oneOf(['drop-oldest', 'drop-newest'] as const).optional(),
  connectTimeoutMs: positiveInt.optional(),
  maxInflight: intIn(1, 65535, 'an integer 1..65535').optional(),
  maxSessionExpiryInterval: intIn(0, 0xffffffff, 'an integer 0..4294967295 (seconds)').optional(),
  maxSubscriptionsPerClient: positiveInt.optional(),
  maxTopicLevels: positiveInt.optional(),
  maxKeepAlive: intIn(1, 65535, 'an integer 1..65535 (seconds)').optional(),
});

export const capabilitiesSchema = mapping({
  maximumQoS: intIn(0, 2, 'a QoS 0, 1 or 2').optional(),
  retainAvailable: bool.optional(),
  wildcardSubscriptionAvailable: bool.optional(),
  sharedSubscriptionAvailable: bool.optional(),
  subscriptionIdentifiersAvailable: bool.optional(),
  topicAliasMaximum: intIn(0, 65535, 'an integer 0..65535').optional(),
  receiveMaximum: intIn(1, 65535, 'an integer 1..65535').optional(),
  maximumPacketSize: intIn(1, 268435455, 'an integer 1..268435455 (bytes)').optional(),
  serverKeepAlive: intIn(0, 65535, 'an integer 0..65535 (seconds)').optional(),
});

/** Legal-but-different behaviours of the reference broker (BrokerOptions.variant, issue 10). */
export const variantSchema = mapping({
  oneMessageInFlight: bool.optional(),
  copyPerSubscription: bool.optional(),
  alternativeReasonCodes: bool.optional(),
  swapMalformedProtocolError: bool.optional(),
  refuseWithoutConnack: bool.optional(),
  omitDefaultProperties: bool.optional(),
  closeOnUnauthorizedPublish311: bool.optional(),
});

export const persistenceSchema = z.string({ error: 'expected "memory" or "file:DIR"' }).regex(/^(memory|file:.+)$/, {
  error: 'expected "memory" or "file:DIR"',
});

export const brokerConfigSchema = mapping({
  listeners: z.array(listenerSchema, { error: 'expected a list of listeners' }).optional(),
  allowAnonymous: bool.optional(),
  users: z.array(userSchema, { error: 'expected a list of users' }).optional(),
  acl: z.array(aclRuleSchema, { error: 'expected a list of ACL rules' }).optional(),
  scram: mapping({ enabled: bool.optional() }).optional(),
  limits: limitsSchema.optional(),
  capabilities: capabilitiesSchema.optional(),
  persistence: persistenceSchema.optional(),
  variant: variantSchema.optional(),
  sysIntervalMs: nonNegativeInt.optional(),
  logLevel: oneOf(LOG_LEVELS).optional(),
});

export type BrokerConfig = z.infer<typeof brokerConfigSchema>;
export type ListenerConfig = z.infer<typeof listenerSchema>;
