import { encodePacket, type Packet, type ProtocolLevel } from '../../src/codec/index.ts';
import type { PacketPattern, VersionCapabilities } from '../../src/client/index.ts';

/**
 * Implicit capability gating. A scenario that sends a packet needing a capability the target
 * said it lacks (CONNACK properties at 5.0, the discovery probe at 3.1.1) cannot check its
 * statement there: a PUBLISH at QoS 2 to a broker whose maximum QoS is 1, a wildcard filter
 * where wildcards are not available, a retained message where retain is not available, a topic
 * alias above the Topic Alias Maximum, a packet above the Maximum Packet Size, an expected
 * delivery at a QoS the broker does not offer. The World then ends the scenario as not
 * applicable (with this reason) instead of letting it fail on the broker's legitimate refusal.
 *
 * It never applies to raw bytes, nor to scenarios that deliberately go past a declared limit:
 * those have a "the broker's CONNACK declares ..." step or a step sending something "above /
 * larger than / more than the broker's" limit (DELIBERATE_LIMIT_STEP, read in WorldBase.begin).
 * Against a target with every capability it never triggers.
 */
/** A step of a scenario that exceeds a declared limit on purpose: no implicit gating there. */
export const DELIBERATE_LIMIT_STEP = /the broker's CONNACK declares|(?:above|larger than|more than) the broker's/;

export class NotApplicableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotApplicableError';
  }
}

const hasWildcard = (filter: string): boolean => /[+#]/.test(filter.replace(/^\$share\/[^/]*\//, ''));

/** Why sending `p` needs a capability the target lacks, or undefined. */
export function packetNeeds(caps: VersionCapabilities, p: Packet, level: ProtocolLevel): string | undefined {
  if (!caps.supported) return undefined;
  switch (p.type) {
    case 'publish': {
      // Only a 5.0 CONNACK declares what a broker accepts from publishers; a 3.1.1 SUBACK grant
      // says nothing about it, so the inbound QoS flows are never gated at 3.1.1.
      if (declared(caps, level) && p.qos <= 2 && p.qos > caps.maximumQoS)
        return `the scenario publishes at QoS ${p.qos}, above the Maximum QoS ${caps.maximumQoS} the target's CONNACK declares`;
      if (p.retain && !caps.retainAvailable)
        return 'the scenario publishes a retained message, and the target has no retained messages';
      const alias = p.properties?.topicAlias;
      if (level === 5 && alias !== undefined && alias > caps.topicAliasMaximum) {
        return `the scenario uses topic alias ${alias}, above the target's Topic Alias Maximum ${caps.topicAliasMaximum}`;
      }
      return sizeNeeds(caps, p, level);
    }
    case 'subscribe': {
      for (const s of p.subscriptions) {
        if (s.topicFilter.startsWith('$share/') && !caps.sharedSubscriptions)
          return `the scenario subscribes to the shared filter "${s.topicFilter}", and the target has no shared subscriptions`;
        if (hasWildcard(s.topicFilter) && !caps.wildcardSubscriptions)
          return `the scenario subscribes to the wildcard filter "${s.topicFilter}", and the target has no wildcard subscriptions`;
      }
      if ((p.properties?.subscriptionIdentifiers?.length ?? 0) > 0 && !caps.subscriptionIdentifiers)
        return 'the scenario uses a subscription identifier, and the target has none';
      return sizeNeeds(caps, p, level);
    }
    case 'connect': {
      const w = p.will;
      if (w && declared(caps, p.protocolLevel) && w.qos <= 2 && w.qos > caps.maximumQoS)
        return `the scenario's Will has QoS ${w.qos}, above the Maximum QoS ${caps.maximumQoS} the target's CONNACK declares`;
      if (w && w.retain && !caps.retainAvailable)
        return "the scenario's Will is retained, and the target has no retained messages";
      return undefined;
    }
    default:
      return sizeNeeds(caps, p, level);
  }
}

function sizeNeeds(caps: VersionCapabilities, p: Packet, level: ProtocolLevel): string | undefined {
  if (caps.maximumPacketSize === undefined) return undefined;
  const n = encodePacket(p, level).length;
  return n > caps.maximumPacketSize
    ? `the scenario sends a ${n}-byte ${p.type.toUpperCase()}, above the target's Maximum Packet Size ${caps.maximumPacketSize}`
    : undefined;
}

/** Whether maximumQoS is a declaration the broker made (a 5.0 CONNACK), not a probe's SUBACK grant. */
const declared = (caps: VersionCapabilities, level: ProtocolLevel): boolean =>
  level === 5 && caps.maximumQoSSource !== 'suback';

/** Why expecting a packet like `p` needs a capability the target lacks (a delivery above the Maximum QoS its CONNACK declares). */
export function patternNeeds(
  caps: VersionCapabilities,
  p: PacketPattern,
  level: ProtocolLevel = 5,
): string | undefined {
  if (!caps.supported || p.type !== 'publish' || typeof p.qos !== 'number' || !declared(caps, level)) return undefined;
  return p.qos <= 2 && p.qos > caps.maximumQoS
    ? `the scenario expects a delivery at QoS ${p.qos}, above the Maximum QoS ${caps.maximumQoS} the target's CONNACK declares`
    : undefined;
}

/** A subscription a step made and the QoS its SUBACK granted: deliveries to it are at most that QoS. */
export interface Grant {
  filter: string;
  requested: number;
  granted: number;
  suback: string;
}

/**
 * Why expecting a delivery at QoS `qos` on `topic` cannot be checked: every subscription of the
 * client that matches was granted less (a legal downgrade, MQTT-3.8.4-6 / 3.2.2 of the SUBACK).
 */
export function grantNeeds(
  grants: readonly Grant[],
  topic: string,
  qos: number,
  matches: (filter: string, topic: string) => boolean,
): string | undefined {
  const m = grants.filter((g) => matches(g.filter.replace(/^\$share\/[^/]*\//, ''), topic));
  if (m.length === 0 || m.some((g) => g.granted >= qos)) return undefined;
  const g = m[0];
  return `the broker granted QoS ${g.granted} for the QoS ${g.requested} subscription to "${g.filter}" (${g.suback}), as it may; the scenario expects a delivery at QoS ${qos}`;
}

/** Why a resilience workload (subscribe / publish) needs a capability the target lacks. */
export function workloadNeeds(
  caps: VersionCapabilities,
  o: { filter?: string; qos?: number; retain?: boolean },
  level: ProtocolLevel = 5,
): string | undefined {
  if (!caps.supported) return undefined;
  if (o.filter !== undefined && hasWildcard(o.filter) && !caps.wildcardSubscriptions)
    return `the scenario subscribes to the wildcard filter "${o.filter}", and the target has no wildcard subscriptions`;
  // Only a declared maximum (a 5.0 CONNACK) gates the QoS; at 3.1.1 the checkers judge what the
  // broker does with a higher QoS (a delivery below it is undecided, not failed).
  if (declared(caps, level) && o.qos !== undefined && o.qos <= 2 && o.qos > caps.maximumQoS) {
    return `the scenario uses QoS ${o.qos}, above the Maximum QoS ${caps.maximumQoS} the target's CONNACK declares`;
  }
  if (o.retain && !caps.retainAvailable)
    return 'the scenario publishes retained messages, and the target has no retained messages';
  return undefined;
}
