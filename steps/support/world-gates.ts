import type { Packet, ProtocolLevel } from '../../src/codec/index.ts';
import { topicMatches } from '../../src/codec/index.ts';
import { lacks, type CapabilityName, type PacketPattern } from '../../src/client/index.ts';
import { NotApplicableError, grantNeeds, packetNeeds, patternNeeds, type Grant } from './capability-guard.ts';
import { WorldVerdicts } from './world-verdicts.ts';

const CAPABILITIES: readonly CapabilityName[] = [
  'qos1',
  'qos2',
  'retain',
  'wildcardSubscriptions',
  'sharedSubscriptions',
  'subscriptionIdentifiers',
  'topicAliases',
];

/**
 * Capability gates of the World: `@requires:` tags and `Given the broker supports …`, and the
 * implicit gating of what a step sends or expects (capability-guard.ts), including what each
 * SUBACK granted. A gate ends the scenario as not applicable, naming what set it.
 */
export class WorldGates extends WorldVerdicts {
  /**
   * Implicit capability gating (capability-guard.ts) is on unless the scenario deliberately
   * goes past a limit the broker declared (DELIBERATE_LIMIT_STEP).
   */
  guardCapabilities = true;

  /** Marks the scenario not applicable (returns 'skipped') when the target lacks `name`. */
  requireCapability(name: string): 'skipped' | undefined {
    if (!CAPABILITIES.includes(name as CapabilityName)) {
      throw new Error(`unknown capability "${name}" (known: ${CAPABILITIES.join(', ')})`);
    }
    const caps = this.run.capabilities;
    if (!caps) return this.notApplicable(`capability discovery is off, so "${name}" cannot be checked`);
    // A 3.1.1 broker cannot declare a maximum QoS: what it grants a subscription gates the
    // deliveries to that subscription (guardPattern), and the inbound QoS flows are never gated.
    if ((name === 'qos1' || name === 'qos2') && this.version === '3.1.1')
      return caps['3.1.1'].supported
        ? undefined
        : this.notApplicable(`${name}: ${lacks(caps['3.1.1'], name)} (MQTT 3.1.1)`);
    const c = caps[this.version];
    const why = lacks(c, name as CapabilityName);
    const by = c.declaredBy
      ? `; declared by ${c.declaredBy}`
      : c.maximumQoSSource === 'suback'
        ? '; found by the capability probe'
        : '';
    return why ? this.notApplicable(`${name}: ${why} (MQTT ${this.version}${by})`) : undefined;
  }

  /** The target's capabilities at a protocol level (undefined when discovery is off). */
  capabilitiesAt(level: ProtocolLevel) {
    return this.run.capabilities?.[level === 5 ? '5.0' : '3.1.1'];
  }

  /** Throws NotApplicableError when sending `p` needs a capability the target lacks (see capability-guard.ts). */
  protected guardPacket(p: Packet, level: ProtocolLevel): void {
    const caps = this.guardCapabilities ? this.capabilitiesAt(level) : undefined;
    const why = caps && packetNeeds(caps, p, level);
    if (why)
      throw new NotApplicableError(
        `${why} (MQTT ${level === 5 ? '5.0' : '3.1.1'}${caps?.declaredBy ? `; declared by ${caps.declaredBy}` : ''})`,
      );
  }

  /** Per client: the subscriptions its steps made and the QoS each SUBACK granted. */
  protected readonly grants = new Map<string, Grant[]>();

  /** Records what a SUBACK granted, so that deliveries above it are not expected (guardPattern). */
  protected noteGrant(name: string, g: Grant): void {
    this.grants.set(name, [...(this.grants.get(name) ?? []).filter((x) => x.filter !== g.filter), g]);
  }

  /**
   * Throws NotApplicableError when expecting a packet like `p` needs a capability the target
   * lacks: a delivery above the Maximum QoS a 5.0 CONNACK declared, or above what the SUBACK
   * granted every matching subscription of the client.
   */
  protected guardPattern(p: PacketPattern, level: ProtocolLevel, name?: string): void {
    if (!this.guardCapabilities) return;
    const caps = this.capabilitiesAt(level);
    let why = caps && patternNeeds(caps, p, level);
    if (why && caps?.declaredBy) why += `; declared by ${caps.declaredBy}`;
    if (!why && name && p.type === 'publish' && typeof p.qos === 'number' && typeof p.topic === 'string') {
      why = grantNeeds(this.grants.get(name) ?? [], p.topic, p.qos, topicMatches);
    }
    if (why) throw new NotApplicableError(`${why} (MQTT ${level === 5 ? '5.0' : '3.1.1'})`);
  }
}
