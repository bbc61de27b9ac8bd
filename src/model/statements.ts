/** The statements each model rule cites, per version (typed: a wrong ID does not compile). */
import type { SpecVersion, StatementRef } from '../spec/types.ts';
import { ref311, ref50 } from '../spec/types.ts';
import type { Id311, Id50 } from '../spec/types.ts';

const RULES = {
  /** An accepted message reaches every matching subscriber's session. */
  delivery: [['MQTT-4.5.0-1'], ['MQTT-4.5.0-1']],
  /** Offline persistent session keeps QoS 1/2 messages. */
  offlineQueue: [['MQTT-3.1.2-5'], ['MQTT-3.1.2-23', 'MQTT-4.5.0-1']],
  /** Overlapping subscriptions: maximum QoS, at most one copy per matching subscription. */
  overlap: [['MQTT-3.3.5-1'], ['MQTT-3.3.4-2']],
  /** Delivered QoS is min(published, granted). */
  grantedQos: [['MQTT-3.8.4-6'], ['MQTT-3.8.4-8']],
  /** Forwarded RETAIN flag (3.1.1: 0; 5.0 RAP 0: 0). */
  forwardRetain: [['MQTT-3.3.1-9'], ['MQTT-3.3.1-12']],
  /** 5.0 RAP 1: RETAIN as published. */
  retainAsPublished: [['MQTT-3.3.1-9'], ['MQTT-3.3.1-13']],
  /** Retained message sent on subscribe. */
  retainedOnSubscribe: [
    ['MQTT-3.3.1-6', 'MQTT-3.3.1-5'],
    ['MQTT-3.3.1-9', 'MQTT-3.3.1-5'],
  ],
  /** Retained message sent on subscribe carries RETAIN 1. */
  retainedFlag: [['MQTT-3.3.1-8'], ['MQTT-3.3.1-9']],
  /** Re-subscribing resends retained messages. */
  retainedOnReplace: [['MQTT-3.8.4-3'], ['MQTT-3.8.4-4']],
  /** A replaced / cleared retained message is not sent. */
  retainedStale: [
    ['MQTT-3.3.1-5', 'MQTT-3.3.1-10', 'MQTT-3.3.1-11'],
    ['MQTT-3.3.1-5', 'MQTT-3.3.1-6', 'MQTT-3.3.1-7'],
  ],
  retainHandling1: [[], ['MQTT-3.3.1-10']],
  retainHandling2: [[], ['MQTT-3.3.1-11']],
  unsubscribed: [['MQTT-3.10.4-2'], ['MQTT-3.10.4-2']],
  cleanSession: [['MQTT-3.1.2-6'], ['MQTT-3.1.2-4']],
  sessionPresentClean: [['MQTT-3.2.2-1'], ['MQTT-3.2.2-2']],
  sessionPresentResume: [
    ['MQTT-3.2.2-2', 'MQTT-3.1.2-4'],
    ['MQTT-3.2.2-3', 'MQTT-3.1.2-5'],
  ],
  sessionPresentNew: [['MQTT-3.2.2-3'], ['MQTT-3.2.2-3', 'MQTT-3.1.2-6']],
  willPublished: [['MQTT-3.1.2-8'], ['MQTT-3.1.2-8']],
  willDiscarded: [['MQTT-3.1.2-10'], ['MQTT-3.14.4-3', 'MQTT-3.1.2-10']],
  willDelay: [[], ['MQTT-3.1.3-9']],
  willEarly: [[], ['MQTT-3.1.2-8']],
  ordering: [
    ['MQTT-4.6.0-6', 'MQTT-4.6.0-5'],
    ['MQTT-4.6.0-5', 'MQTT-4.6.0-6'],
  ],
  packetIdInUse: [['MQTT-2.3.1-4'], ['MQTT-2.2.1-4']],
  receiveMaximum: [[], ['MQTT-3.3.4-9', 'MQTT-4.9.0-2']],
  noLocal: [[], ['MQTT-3.8.3-3']],
  /** 5.0: options of a replaced subscription (same filter) are the new SUBSCRIBE's. */
  noLocalReplaced: [[], ['MQTT-3.8.3-3', 'MQTT-3.8.4-3']],
  retainAsPublishedReplaced: [[], ['MQTT-3.3.1-13', 'MQTT-3.8.4-3']],
  forwardRetainReplaced: [[], ['MQTT-3.3.1-12', 'MQTT-3.8.4-3']],
  subIdSingle: [[], ['MQTT-3.3.4-4', 'MQTT-3.3.4-3']],
  subIdCopies: [[], ['MQTT-3.3.4-5']],
  sharedOnce: [[], ['MQTT-4.8.2-3']],
} as const satisfies Record<string, readonly [readonly Id311[], readonly Id50[]]>;

export type RuleName = keyof typeof RULES;

export function cite(rule: RuleName, version: SpecVersion): StatementRef[] {
  const [a, b] = RULES[rule];
  return version === '3.1.1' ? a.map((id) => ref311(id)) : b.map((id) => ref50(id));
}

/** Every statement the model can cite, per version (for tagging the @explore feature). */
export function modelStatements(version: SpecVersion): StatementRef[] {
  const seen = new Set<string>();
  const out: StatementRef[] = [];
  for (const k of Object.keys(RULES) as RuleName[]) {
    for (const r of cite(k, version))
      if (!seen.has(r.id)) {
        seen.add(r.id);
        out.push(r);
      }
  }
  return out;
}
