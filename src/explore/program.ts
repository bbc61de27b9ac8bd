/**
 * Explored programs: a few clients, each step one client action. A step on a client that is
 * not connected first (re)connects it with a persistent session (so shrinking can drop any
 * step and offline queues are exercised often); a disconnect of a disconnected client is skipped;
 * a connect step on a connected client disconnects it normally first (a reconnect). Topics come from a small alphabet so that overlaps are
 * frequent; the runner puts every topic under a per-program prefix.
 */
import fc from 'fast-check';
import type { QoS } from '../model/types.ts';

export type ExploreVersion = '3.1.1' | '5.0';

export interface WillStep {
  topic: string;
  qos: QoS;
  retain: boolean;
  delay: 0 | 60;
}

export type Step =
  | { k: 'connect'; c: number; clean: boolean; persistent: boolean; will?: WillStep; receiveMaximum?: number }
  | {
      k: 'subscribe';
      c: number;
      filter: string;
      qos: QoS;
      noLocal?: boolean;
      rap?: boolean;
      rh?: 0 | 1 | 2;
      subId?: boolean;
      share?: boolean;
    }
  | { k: 'unsubscribe'; c: number; filter: string; share?: boolean }
  | { k: 'publish'; c: number; topic: string; qos: QoS; retain: boolean; empty: boolean; count: number }
  | { k: 'disconnect'; c: number; abrupt: boolean }
  | { k: 'pause'; ms: number };

export interface Program {
  version: ExploreVersion;
  clients: number;
  steps: Step[];
}

export const TOPICS = ['a', 'b', 'a/a', 'a/b', 'b/a'] as const;
export const FILTERS = [...TOPICS, '#', '+', 'a/#', 'a/+', '+/a', '+/+'] as const;

const qos = fc.constantFrom<QoS>(0, 1, 2);

function stepArb(version: ExploreVersion, clients: number, maxBurst: number): fc.Arbitrary<Step> {
  const v5 = version === '5.0';
  const c = fc.integer({ min: 0, max: clients - 1 });
  const will = fc.record({
    topic: fc.constantFrom(...TOPICS),
    qos,
    retain: fc.boolean(),
    delay: v5 ? fc.constantFrom<0 | 60>(0, 0, 60) : fc.constant<0>(0),
  });
  const connect = fc.record({
    k: fc.constant('connect' as const),
    c,
    clean: fc.boolean(),
    persistent: fc.boolean(),
    will: fc.option(will, { nil: undefined, freq: 2 }),
    receiveMaximum: v5 ? fc.option(fc.constantFrom(1, 2, 3, 10), { nil: undefined }) : fc.constant(undefined),
  });
  const subscribe = v5
    ? fc.record({
        k: fc.constant('subscribe' as const),
        c,
        filter: fc.constantFrom(...FILTERS),
        qos,
        noLocal: fc.boolean(),
        rap: fc.boolean(),
        rh: fc.constantFrom<0 | 1 | 2>(0, 0, 1, 2),
        subId: fc.boolean(),
        share: fc.constantFrom(false, false, false, false, true),
      })
    : fc.record({ k: fc.constant('subscribe' as const), c, filter: fc.constantFrom(...FILTERS), qos });
  const unsubscribe = fc.record({
    k: fc.constant('unsubscribe' as const),
    c,
    filter: fc.constantFrom(...FILTERS),
    share: v5 ? fc.constantFrom(false, false, true) : fc.constant(false),
  });
  const mid = Math.min(20, maxBurst);
  const count =
    maxBurst <= 1
      ? fc.constant(1)
      : fc.oneof(
          { weight: 6, arbitrary: fc.constant(1) },
          { weight: 3, arbitrary: fc.integer({ min: 2, max: Math.max(2, mid) }) },
          { weight: maxBurst > 20 ? 1 : 0, arbitrary: fc.integer({ min: Math.min(21, maxBurst), max: maxBurst }) },
        );
  const publish = fc.record({
    k: fc.constant('publish' as const),
    c,
    topic: fc.constantFrom(...TOPICS),
    qos,
    retain: fc.boolean(),
    empty: fc.constantFrom(false, false, false, true),
    count,
  });
  const disconnect = fc.record({ k: fc.constant('disconnect' as const), c, abrupt: fc.boolean() });
  const pause = fc.record({ k: fc.constant('pause' as const), ms: fc.constantFrom(5, 30) });
  return fc.oneof(
    { weight: 3, arbitrary: connect },
    { weight: 5, arbitrary: subscribe },
    { weight: 1, arbitrary: unsubscribe },
    { weight: 5, arbitrary: publish },
    { weight: 3, arbitrary: disconnect },
    { weight: 1, arbitrary: pause },
  ) as fc.Arbitrary<Step>;
}

/** Programs of 2..maxClients clients; bursts of 1..maxBurst messages (default 300). */
export function programArb(version: ExploreVersion, maxClients: number, maxBurst = 300): fc.Arbitrary<Program> {
  return fc
    .integer({ min: 2, max: Math.max(2, maxClients) })
    .chain((clients) =>
      fc
        .array(stepArb(version, clients, maxBurst), { minLength: 1, maxLength: 14 })
        .map((steps) => ({ version, clients, steps: capMessages(steps) })),
    );
}

/**
 * At most MAX_PROGRAM_MESSAGES messages per program: brokers may bound a session's queue
 * (storage capacity is an operational limit the spec leaves open, 3.1.1 4.1 / 5.0 4.1), and
 * 1,000 is a common default (mosquitto max_queued_messages, the reference broker).
 */
export const MAX_PROGRAM_MESSAGES = 900;
function capMessages(steps: Step[]): Step[] {
  let left = MAX_PROGRAM_MESSAGES;
  return steps.map((s) => {
    if (s.k !== 'publish') return s;
    const count = Math.max(1, Math.min(s.count, left));
    left = Math.max(0, left - count);
    return count === s.count ? s : { ...s, count };
  });
}

/** One line per step, for logs. */
export function describeStep(s: Step): string {
  switch (s.k) {
    case 'connect':
      return `c${s.c} connect clean=${s.clean} persistent=${s.persistent}${s.will ? ` will=${s.will.topic}@${s.will.qos}${s.will.retain ? 'R' : ''}${s.will.delay ? ` delay ${s.will.delay}` : ''}` : ''}${s.receiveMaximum ? ` rm=${s.receiveMaximum}` : ''}`;
    case 'subscribe':
      return `c${s.c} subscribe ${s.share ? '$share/g/' : ''}${s.filter} q${s.qos}${s.noLocal ? ' nl' : ''}${s.rap ? ' rap' : ''}${s.rh ? ` rh${s.rh}` : ''}${s.subId ? ' id' : ''}`;
    case 'unsubscribe':
      return `c${s.c} unsubscribe ${s.share ? '$share/g/' : ''}${s.filter}`;
    case 'publish':
      return `c${s.c} publish ${s.count}x ${s.topic} q${s.qos}${s.retain ? ' retain' : ''}${s.empty ? ' empty' : ''}`;
    case 'disconnect':
      return `c${s.c} ${s.abrupt ? 'drop' : 'disconnect'}`;
    case 'pause':
      return `pause ${s.ms} ms`;
  }
}
