import { encodePacket } from '../codec/index.ts';
import type { ConnackPacket, Packet, QoS } from '../codec/packet-types.ts';
import type { DialOptions } from './byte-stream.ts';
import { TestClient } from './test-client.ts';
import { describePacket } from './pattern.ts';
import {
  capabilitiesFromConnack,
  unsupported,
  type Capabilities,
  type ProbeFinding,
  type VersionCapabilities,
} from './capabilities.ts';

export interface DiscoverOptions extends DialOptions {
  /** Topic prefix for the probe topics ("cap/..." under it). */
  topicPrefix: string;
  clientIdPrefix: string;
  username?: string;
  password?: string;
  /** Bound on each probe wait. */
  timeoutMs: number;
}

/** How a plain CONNECT at one version went. */
type ConnectResult =
  | { kind: 'accepted'; ack: ConnackPacket; bytes: number }
  | { kind: 'refused'; ack: ConnackPacket }
  /** A 3.1.1-only broker answered a 5.0 CONNECT with a 3.1.1 CONNACK "unacceptable protocol version". */
  | { kind: 'old-connack' }
  | { kind: 'closed' }
  | { kind: 'error'; message: string };

async function tryConnect(o: DiscoverOptions, level: 4 | 5): Promise<ConnectResult> {
  let c: TestClient | undefined;
  try {
    c = await TestClient.open({ ...o, name: `probe${level}` });
    const ack = await c.connect(
      { level, clientId: `${o.clientIdPrefix}cap${level}`, username: o.username, password: o.password },
      o.timeoutMs,
    );
    c.send({ type: 'disconnect' });
    return ack.reasonCode === 0
      ? { kind: 'accepted', ack, bytes: encodePacket(ack, level).length }
      : { kind: 'refused', ack };
  } catch (e) {
    if (level === 5 && c?.violations[0]?.hex === '20020001') return { kind: 'old-connack' };
    if (c?.closed) return { kind: 'closed' };
    return { kind: 'error', message: (e as Error).message.split('\n')[0] };
  } finally {
    await c?.close(o.timeoutMs);
  }
}

/**
 * Probes the target: a plain CONNECT at each version decides whether the version is spoken;
 * then each 3.1.1 capability (granted QoS, wildcards, retained messages, $share filters) is
 * probed on a connection of its own, so that a probe that makes the broker close marks only
 * that capability absent, and is reported as a finding. 5.0 capabilities are what the CONNACK
 * declares.
 */
export async function discoverCapabilities(o: DiscoverOptions): Promise<Capabilities> {
  const [r5, r4] = [await tryConnect(o, 5), await tryConnect(o, 4)];
  const findings: ProbeFinding[] = [];
  const v5 = fromConnect(r5, 5, r4.kind === 'accepted');
  let v4 = fromConnect(r4, 4, r5.kind === 'accepted');
  if (v4.supported) v4 = await probe311(o, v4, findings);
  return { target: o.url, '5.0': v5, '3.1.1': v4, ...(findings.length > 0 ? { findings } : {}) };
}

function fromConnect(r: ConnectResult, level: 4 | 5, otherAccepted: boolean): VersionCapabilities {
  const v = level === 5 ? 'MQTT 5.0' : 'MQTT 3.1.1';
  switch (r.kind) {
    case 'accepted':
      return level === 5
        ? { ...capabilitiesFromConnack(r.ack), connackBytes: r.bytes, declaredBy: describePacket(r.ack) }
        : {
            supported: true,
            maximumQoS: 2,
            maximumQoSSource: 'suback',
            retainAvailable: true,
            wildcardSubscriptions: true,
            sharedSubscriptions: false,
            subscriptionIdentifiers: false,
            topicAliasMaximum: 0,
            receiveMaximum: 65535,
          };
    case 'refused': {
      const code = r.ack.reasonCode;
      const versionCode = level === 5 ? 0x84 : 1;
      return {
        ...unsupported(`${v} CONNACK reason code 0x${code.toString(16).padStart(2, '0')}`),
        versionRefused: code === versionCode,
      };
    }
    case 'old-connack':
      return {
        ...unsupported('answered with a 3.1.1 CONNACK return code 1 (unacceptable protocol version)'),
        versionRefused: true,
      };
    case 'closed':
      // Closing on a well-formed CONNECT of one version while accepting the other's: the broker
      // does not speak this version (the CONNACK refusal is optional for an unsupported one).
      return otherAccepted
        ? { ...unsupported(`closes the connection on a well-formed ${v} CONNECT`), versionRefused: true }
        : unsupported(`closed the connection on a ${v} CONNECT without a CONNACK`);
    case 'error':
      return unsupported(r.message);
  }
}

/** One 3.1.1 probe on its own connection; resolves 'closed' when the broker closed it instead of answering. */
async function withConnection<T>(
  o: DiscoverOptions,
  name: string,
  f: (c: TestClient) => Promise<T>,
): Promise<T | 'closed' | 'error'> {
  let c: TestClient | undefined;
  try {
    c = await TestClient.open({ ...o, name });
    const ack = await c.connect(
      { level: 4, clientId: `${o.clientIdPrefix}${name}`, username: o.username, password: o.password },
      o.timeoutMs,
    );
    if (ack.reasonCode !== 0) return 'error';
    const r = await f(c);
    c.send({ type: 'disconnect' });
    return r;
  } catch {
    return c?.closed ? 'closed' : 'error';
  } finally {
    await c?.close(o.timeoutMs);
  }
}

async function probe311(
  o: DiscoverOptions,
  caps: VersionCapabilities,
  findings: ProbeFinding[],
): Promise<VersionCapabilities> {
  const t = (s: string): string => `${o.topicPrefix}cap/${s}`;
  const suback = async (c: TestClient, id: number, filter: string, qos: QoS): Promise<number> => {
    c.send({ type: 'subscribe', packetId: id, subscriptions: [{ topicFilter: filter, qos }] });
    const a = (await c.expect({ type: 'suback', packetId: id }, o.timeoutMs)) as Extract<Packet, { type: 'suback' }>;
    return a.reasonCodes[0] ?? 0x80;
  };
  const closed = (what: string, filter: string): void => {
    findings.push({
      version: '3.1.1',
      statementIds: ['MQTT-3.8.4-1'],
      message: `the broker closed the connection on the capability probe's SUBSCRIBE to "${filter}" (${what}) instead of answering it with a SUBACK`,
    });
  };
  const out = { ...caps };
  const q = await withConnection(o, 'capq', (c) => suback(c, 1, t('q'), 2));
  out.maximumQoS = (typeof q === 'number' && q <= 2 ? q : 0) as QoS;
  if (q === 'closed') closed('QoS 2 grant', t('q'));
  const w = await withConnection(o, 'capw', (c) => suback(c, 2, t('w/+'), 0));
  out.wildcardSubscriptions = typeof w === 'number' && w <= 2;
  if (w === 'closed') closed('wildcards', t('w/+'));
  const r = await withConnection(o, 'capr', async (c) => {
    c.send({ type: 'publish', topic: t('r'), payload: Buffer.from('probe'), qos: 0, retain: true, dup: false });
    await suback(c, 3, t('r'), 0);
    const seen = await c.expect({ type: 'publish', topic: t('r') }, o.timeoutMs).then(
      () => true,
      () => false,
    );
    c.send({ type: 'publish', topic: t('r'), payload: Buffer.alloc(0), qos: 0, retain: true, dup: false });
    return seen;
  });
  out.retainAvailable = r === true;
  const s = await withConnection(o, 'caps', async (c) => {
    if ((await suback(c, 4, `$share/g/${t('s')}`, 0)) > 2) return false;
    c.send({ type: 'publish', topic: t('s'), payload: Buffer.from('probe'), qos: 0, retain: false, dup: false });
    return c.expect({ type: 'publish', topic: t('s') }, o.timeoutMs).then(
      () => true,
      () => false,
    );
  });
  out.sharedSubscriptions = s === true;
  if (s === 'closed') closed('shared subscription', `$share/g/${t('s')}`);
  return out;
}
