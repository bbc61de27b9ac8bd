import { encodePacket } from '../codec/index.ts';
import type { ConnackPacket, Packet, QoS } from '../codec/packet-types.ts';
import type { DialOptions } from './byte-stream.ts';
import { TestClient } from './test-client.ts';

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
  /** Why the version could not be probed, if it could not. */
  error?: string;
  /** The broker answered CONNACK "unsupported protocol version" (3.1.1 code 1 / 5.0 code 0x84). */
  versionRefused?: boolean;
}

export interface Capabilities {
  target: string;
  '3.1.1': VersionCapabilities;
  '5.0': VersionCapabilities;
}

/** Names a scenario can require with `requireCapability`. */
export type CapabilityName =
  | 'qos1' | 'qos2' | 'retain' | 'wildcardSubscriptions' | 'sharedSubscriptions'
  | 'subscriptionIdentifiers' | 'topicAliases';

/** Null when the capability is there; otherwise why not, for a not-applicable verdict. */
export function lacks(c: VersionCapabilities, name: CapabilityName): string | null {
  if (!c.supported) return `the target did not accept this protocol version${c.error ? ` (${c.error})` : ''}`;
  switch (name) {
    case 'qos1': return c.maximumQoS >= 1 ? null : `maximum QoS is ${c.maximumQoS}`;
    case 'qos2': return c.maximumQoS >= 2 ? null : `maximum QoS is ${c.maximumQoS}`;
    case 'retain': return c.retainAvailable ? null : 'retained messages are not available';
    case 'wildcardSubscriptions': return c.wildcardSubscriptions ? null : 'wildcard subscriptions are not available';
    case 'sharedSubscriptions': return c.sharedSubscriptions ? null : 'shared subscriptions are not available';
    case 'subscriptionIdentifiers': return c.subscriptionIdentifiers ? null : 'subscription identifiers are not available';
    case 'topicAliases': return c.topicAliasMaximum > 0 ? null : 'the server accepts no topic aliases (Topic Alias Maximum 0)';
  }
}

const unsupported = (error: string): VersionCapabilities => ({
  supported: false, maximumQoS: 0, retainAvailable: false, wildcardSubscriptions: false, sharedSubscriptions: false,
  subscriptionIdentifiers: false, topicAliasMaximum: 0, receiveMaximum: 0, error,
});

/** Reads the 5.0 capabilities from a CONNACK's properties (absent = the spec's default). */
export function capabilitiesFromConnack(ack: ConnackPacket): VersionCapabilities {
  if (ack.reasonCode !== 0) return { ...unsupported(`CONNACK reason code 0x${ack.reasonCode.toString(16)}`), versionRefused: ack.reasonCode === 0x84 };
  const p = ack.properties ?? {};
  return {
    supported: true,
    maximumQoS: (p.maximumQoS ?? 2) as QoS,
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

export interface DiscoverOptions extends DialOptions {
  /** Topic prefix for the probe topics ("cap/..." under it). */
  topicPrefix: string;
  clientIdPrefix: string;
  username?: string;
  password?: string;
  /** Bound on each probe wait. */
  timeoutMs: number;
}

/** Probes the target at 5.0 (CONNACK properties) and 3.1.1 (QoS 2 grant, retained delivery, $share). */
export async function discoverCapabilities(o: DiscoverOptions): Promise<Capabilities> {
  return { target: o.url, '5.0': await probe5(o), '3.1.1': await probe311(o) };
}

async function probe5(o: DiscoverOptions): Promise<VersionCapabilities> {
  let c: TestClient | undefined;
  try {
    c = await TestClient.open({ ...o, name: 'probe5' });
    const ack = await c.connect({ level: 5, clientId: `${o.clientIdPrefix}cap5`, username: o.username, password: o.password }, o.timeoutMs);
    c.send({ type: 'disconnect' });
    return { ...capabilitiesFromConnack(ack), connackBytes: encodePacket(ack, 5).length };
  } catch (e) {
    // A 3.1.1-only broker answers a 5.0 CONNECT with a 3.1.1 CONNACK "unacceptable protocol version".
    if (c?.violations[0]?.hex === '20020001') return { ...unsupported('answered with a 3.1.1 CONNACK return code 1'), versionRefused: true };
    return unsupported((e as Error).message.split('\n')[0]);
  } finally {
    await c?.close(o.timeoutMs);
  }
}

async function probe311(o: DiscoverOptions): Promise<VersionCapabilities> {
  let c: TestClient | undefined;
  const t = (s: string): string => `${o.topicPrefix}cap/${s}`;
  try {
    c = await TestClient.open({ ...o, name: 'probe4' });
    const ack = await c.connect({ level: 4, clientId: `${o.clientIdPrefix}cap4`, username: o.username, password: o.password }, o.timeoutMs);
    if (ack.reasonCode !== 0) return { ...unsupported(`CONNACK return code ${ack.reasonCode}`), versionRefused: ack.reasonCode === 1 };
    const caps: VersionCapabilities = {
      supported: true, maximumQoS: 0, retainAvailable: false, wildcardSubscriptions: false, sharedSubscriptions: false,
      subscriptionIdentifiers: false, topicAliasMaximum: 0, receiveMaximum: 65535,
    };
    const suback = async (id: number, filter: string, qos: QoS): Promise<number> => {
      c!.send({ type: 'subscribe', packetId: id, subscriptions: [{ topicFilter: filter, qos }] });
      const a = (await c!.expect({ type: 'suback', packetId: id }, o.timeoutMs)) as Extract<Packet, { type: 'suback' }>;
      return a.reasonCodes[0] ?? 0x80;
    };
    const granted = await suback(1, t('q'), 2);
    caps.maximumQoS = (granted <= 2 ? granted : 0) as QoS;
    caps.wildcardSubscriptions = (await suback(2, t('w/+'), 0)) <= 2;
    // Retained: publish, subscribe, see it, then clear it.
    c.send({ type: 'publish', topic: t('r'), payload: Buffer.from('probe'), qos: 0, retain: true, dup: false });
    await suback(3, t('r'), 0);
    caps.retainAvailable = await c.expect({ type: 'publish', topic: t('r') }, o.timeoutMs).then(() => true, () => false);
    c.send({ type: 'publish', topic: t('r'), payload: Buffer.alloc(0), qos: 0, retain: true, dup: false });
    // Shared subscription: granted and delivering.
    if ((await suback(4, `$share/g/${t('s')}`, 0)) <= 2) {
      c.send({ type: 'publish', topic: t('s'), payload: Buffer.from('probe'), qos: 0, retain: false, dup: false });
      caps.sharedSubscriptions = await c.expect({ type: 'publish', topic: t('s') }, o.timeoutMs).then(() => true, () => false);
    }
    c.send({ type: 'disconnect' });
    return caps;
  } catch (e) {
    return unsupported((e as Error).message.split('\n')[0]);
  } finally {
    await c?.close(o.timeoutMs);
  }
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
