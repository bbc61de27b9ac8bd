import type { Packet, PublishPacket, QoS, SubackPacket } from '../codec/packet-types.ts';
import { ExpectationError, type TestClient } from './test-client.ts';
import { describePacket } from './pattern.ts';

/**
 * Whole exchanges built from single packets, for steps that state a precondition
 * ("A subscribed to t") rather than a packet-level check. Every wait is bounded by `ms`.
 */

/** SUBSCRIBE and check the SUBACK grants it (a failure code is an ExpectationError). */
export async function subscribeFlow(
  c: TestClient,
  packetId: number,
  filter: string,
  qos: QoS,
  ms: number,
): Promise<SubackPacket> {
  c.send({ type: 'subscribe', packetId, subscriptions: [{ topicFilter: filter, qos }] });
  const ack = (await c.expect({ type: 'suback', packetId }, ms)) as SubackPacket;
  const code = ack.reasonCodes[0];
  if (code === undefined || code >= 0x80) {
    throw new ExpectationError(`${c.name}: subscription to "${filter}" was refused: ${describePacket(ack)}`);
  }
  return ack;
}

export async function unsubscribeFlow(c: TestClient, packetId: number, filter: string, ms: number): Promise<void> {
  c.send({ type: 'unsubscribe', packetId, topicFilters: [filter] });
  await c.expect({ type: 'unsuback', packetId }, ms);
}

/** PUBLISH and complete its QoS flow (PUBACK, or PUBREC / PUBREL / PUBCOMP). */
export async function publishFlow(
  c: TestClient,
  packetId: number,
  topic: string,
  payload: Buffer,
  qos: QoS,
  retain: boolean,
  ms: number,
): Promise<void> {
  const p: PublishPacket = { type: 'publish', topic, payload, qos, retain, dup: false };
  if (qos > 0) p.packetId = packetId;
  c.send(p);
  if (qos === 1) await expectAckOk(c, { type: 'puback', packetId }, ms);
  if (qos === 2) {
    await expectAckOk(c, { type: 'pubrec', packetId }, ms);
    c.send({ type: 'pubrel', packetId });
    await expectAckOk(c, { type: 'pubcomp', packetId }, ms);
  }
}

async function expectAckOk(
  c: TestClient,
  pattern: { type: 'puback' | 'pubrec' | 'pubcomp'; packetId: number },
  ms: number,
): Promise<void> {
  const ack = (await c.expect(pattern, ms)) as Packet & { reasonCode?: number };
  if ((ack.reasonCode ?? 0) >= 0x80)
    throw new ExpectationError(`${c.name}: publish was refused: ${describePacket(ack)}`);
}

/** Acknowledges a received PUBLISH as its QoS asks (QoS 2: PUBREC, wait PUBREL, PUBCOMP). */
export async function acknowledgeFlow(c: TestClient, p: PublishPacket, ms: number): Promise<void> {
  if (p.qos === 0 || p.packetId === undefined || c.wasAutoAcked(p)) return;
  if (p.qos === 1) {
    c.send({ type: 'puback', packetId: p.packetId });
    return;
  }
  c.send({ type: 'pubrec', packetId: p.packetId });
  await c.expect({ type: 'pubrel', packetId: p.packetId }, ms);
  c.send({ type: 'pubcomp', packetId: p.packetId });
}
