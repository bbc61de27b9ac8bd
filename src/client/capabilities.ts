import type { ConnackPacket, QoS } from '../codec/packet-types.ts';

/** What the target offers, per protocol version; "unknown" fields are absent. */
export interface VersionCapabilities {
  /** A CONNECT at this version was accepted. */
  supported: boolean;
  maximumQoS: QoS;
  retainAvailable: boolean;
  wildcardSubscriptions: boolean;
  sharedSubscriptions: boolean;
  subscriptionIdentifiers: boolean;
  /** 0 when topic aliases are not offered. */
  topicAliasMaximum: number;
  receiveMaximum: number;
  maximumPacketSize?: number;
  serverKeepAlive?: number;
  /** Size in bytes of the CONNACK the probe got (5.0): a client whose Maximum Packet Size is smaller cannot be answered. */
  connackBytes?: number;
  /** The packet that declared these capabilities (the probe's CONNACK), for not-applicable reasons. */
  declaredBy?: string;
  /** Why the version could not be probed, if it could not. */
  error?: string;
  /**
   * The broker does not speak this version: it answered CONNACK "unsupported protocol version"
   * (3.1.1 code 1 / 5.0 code 0x84), or closed the connection on a well-formed CONNECT of this
   * version while accepting the other version's. Its statements are then not applicable.
   */
  versionRefused?: boolean;
  /**
   * Where maximumQoS came from: a 5.0 CONNACK declares it; at 3.1.1 it is only the QoS a probe
   * subscription was granted, which says nothing about what the broker accepts from publishers.
   */
  maximumQoSSource?: 'connack' | 'suback';
}

export interface Capabilities {
  target: string;
  '3.1.1': VersionCapabilities;
  '5.0': VersionCapabilities;
  /** What the probes saw that may itself break a statement (a probe that made the broker close). */
  findings?: ProbeFinding[];
}

/** A probe's observation worth reporting apart from the scenarios. */
export interface ProbeFinding {
  version: '3.1.1' | '5.0';
  message: string;
  statementIds?: string[];
}

/** Names a scenario can require with `requireCapability`. */
export type CapabilityName =
  | 'qos1'
  | 'qos2'
  | 'retain'
  | 'wildcardSubscriptions'
  | 'sharedSubscriptions'
  | 'subscriptionIdentifiers'
  | 'topicAliases';

/** Null when the capability is there; otherwise why not, for a not-applicable verdict. */
export function lacks(c: VersionCapabilities, name: CapabilityName): string | null {
  if (!c.supported) return `the target did not accept this protocol version${c.error ? ` (${c.error})` : ''}`;
  switch (name) {
    case 'qos1':
      return c.maximumQoS >= 1 ? null : `maximum QoS is ${c.maximumQoS}`;
    case 'qos2':
      return c.maximumQoS >= 2 ? null : `maximum QoS is ${c.maximumQoS}`;
    case 'retain':
      return c.retainAvailable ? null : 'retained messages are not available';
    case 'wildcardSubscriptions':
      return c.wildcardSubscriptions ? null : 'wildcard subscriptions are not available';
    case 'sharedSubscriptions':
      return c.sharedSubscriptions ? null : 'shared subscriptions are not available';
    case 'subscriptionIdentifiers':
      return c.subscriptionIdentifiers ? null : 'subscription identifiers are not available';
    case 'topicAliases':
      return c.topicAliasMaximum > 0 ? null : 'the server accepts no topic aliases (Topic Alias Maximum 0)';
  }
}

export const unsupported = (error: string): VersionCapabilities => ({
  supported: false,
  maximumQoS: 0,
  retainAvailable: false,
  wildcardSubscriptions: false,
  sharedSubscriptions: false,
  subscriptionIdentifiers: false,
  topicAliasMaximum: 0,
  receiveMaximum: 0,
  error,
});

/** Reads the 5.0 capabilities from a CONNACK's properties (absent = the spec's default). */
export function capabilitiesFromConnack(ack: ConnackPacket): VersionCapabilities {
  if (ack.reasonCode !== 0)
    return {
      ...unsupported(`CONNACK reason code 0x${ack.reasonCode.toString(16)}`),
      versionRefused: ack.reasonCode === 0x84,
    };
  const p = ack.properties ?? {};
  return {
    supported: true,
    maximumQoS: (p.maximumQoS ?? 2) as QoS,
    maximumQoSSource: 'connack',
    retainAvailable: (p.retainAvailable ?? 1) === 1,
    wildcardSubscriptions: (p.wildcardSubscriptionAvailable ?? 1) === 1,
    sharedSubscriptions: (p.sharedSubscriptionAvailable ?? 1) === 1,
    subscriptionIdentifiers: (p.subscriptionIdentifierAvailable ?? 1) === 1,
    topicAliasMaximum: p.topicAliasMaximum ?? 0,
    receiveMaximum: p.receiveMaximum ?? 65535,
    maximumPacketSize: p.maximumPacketSize,
    serverKeepAlive: p.serverKeepAlive,
  };
}

/** A small text table for the console summary. */
export function formatCapabilities(c: Capabilities): string {
  const rows: Array<[string, (v: VersionCapabilities) => string]> = [
    ['supported', (v) => (v.supported ? 'yes' : `no${v.error ? ` (${v.error})` : ''}`)],
    ['maximum QoS', (v) => String(v.maximumQoS)],
    ['retain', (v) => (v.retainAvailable ? 'yes' : 'no')],
    ['wildcard subscriptions', (v) => (v.wildcardSubscriptions ? 'yes' : 'no')],
    ['shared subscriptions', (v) => (v.sharedSubscriptions ? 'yes' : 'no')],
    ['subscription identifiers', (v) => (v.subscriptionIdentifiers ? 'yes' : 'no')],
    ['topic alias maximum', (v) => String(v.topicAliasMaximum)],
    ['receive maximum', (v) => String(v.receiveMaximum)],
    ['maximum packet size', (v) => (v.maximumPacketSize === undefined ? '-' : String(v.maximumPacketSize))],
    ['server keep alive', (v) => (v.serverKeepAlive === undefined ? '-' : String(v.serverKeepAlive))],
  ];
  const lines = [`capabilities of ${c.target}`, `  ${''.padEnd(26)}${'3.1.1'.padEnd(12)}5.0`];
  for (const [name, f] of rows) lines.push(`  ${name.padEnd(26)}${f(c['3.1.1']).padEnd(12)}${f(c['5.0'])}`);
  return lines.join('\n');
}
