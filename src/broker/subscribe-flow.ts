/**
 * SUBSCRIBE / UNSUBSCRIBE (3.8-3.11): filter validation, capability and ACL checks, granted QoS,
 * SUBACK / UNSUBACK, then retained-message delivery per Retain Handling.
 */
import type { QoS, SubscribePacket, SubackPacket, UnsubackPacket, UnsubscribePacket } from '../codec/index.ts';
import { formatRef, ref311, ref50 } from '../spec/types.ts';
import type { Conn } from './conn-api.ts';
import type { SubscriptionRecord } from './persistence.ts';
import { DurableAcks } from './durable-acks.ts';
import { hasWildcard, isProblem, levelsOver, parseFilter, validateTopicFilter } from './topic-validate.ts';

interface RetainedTodo {
  filter: string;
  qos: QoS;
  subIds: number[] | undefined;
}

export function onSubscribe(c: Conn, p: SubscribePacket): void {
  const ctx = c.ctx;
  const s = c.session!;
  const v5 = c.level5;
  const subId = v5 ? p.properties?.subscriptionIdentifiers?.[0] : undefined;
  if (subId !== undefined && !ctx.caps.subscriptionIdentifiersAvailable) {
    // 3.2.2.3.12: a Subscription Identifier when not available is a protocol error (DISCONNECT 0xA1).
    return c.protocolError(
      'subscription identifiers are not supported',
      ref311('MQTT-4.8.0-1'),
      ref50('MQTT-3.8.4-1'),
      0xa1,
    );
  }
  const codes: number[] = [];
  const todo: RetainedTodo[] = [];
  let changed = false;
  const alt = ctx.variant.alternativeReasonCodes;
  const fail = (rc5: number, why: string, statement: ReturnType<typeof ref50> | ReturnType<typeof ref311>) => {
    ctx.logger.info(`subscription refused: ${why}`, { clientId: c.clientId, statement: formatRef(statement) });
    // Variant: 0x80 Unspecified error is a Subscribe Reason Code for any refusal (MQTT-3.9.3-2).
    codes.push(v5 && !alt ? rc5 : 0x80);
  };
  if (v5 && alt && unsupportedFilter(c, p)) return;
  for (const sub of p.subscriptions) {
    const raw = sub.topicFilter;
    const parsed = parseFilter(raw, c.protocolLevel);
    if (isProblem(parsed)) {
      fail(0x8f, parsed.message, parsed.statement);
      continue;
    }
    const problem = validateTopicFilter(parsed.filter, c.protocolLevel);
    if (problem) {
      fail(0x8f, problem.message, problem.statement);
      continue;
    }
    if (parsed.group !== undefined) {
      if (!ctx.caps.sharedSubscriptionAvailable) {
        fail(0x9e, 'shared subscriptions are not supported', ref50('MQTT-3.9.3-2'));
        continue;
      }
      if (sub.noLocal) {
        return c.protocolError('No Local set on a shared subscription', ref311('MQTT-4.8.0-1'), ref50('MQTT-3.8.3-4'));
      }
    }
    if (hasWildcard(parsed.filter) && !ctx.caps.wildcardSubscriptionAvailable) {
      fail(0xa2, 'wildcard subscriptions are not supported', v5 ? ref50('MQTT-3.9.3-2') : ref311('MQTT-3.8.3-2'));
      continue;
    }
    if (ctx.authorizer && !ctx.authorizer.authorize(c.info!, 'read', raw)) {
      fail(0x87, `not authorized to subscribe to "${raw}"`, v5 ? ref50('MQTT-3.9.3-2') : ref311('MQTT-3.8.4-5'));
      continue;
    }
    // Abuse limits (issue 14): subscriptions per client and topic-filter depth; refused with 0x97 Quota exceeded.
    if (!s.subscriptions.has(raw) && s.subscriptions.size >= ctx.limits.maxSubscriptionsPerClient) {
      fail(
        0x97,
        `more than ${ctx.limits.maxSubscriptionsPerClient} subscriptions`,
        v5 ? ref50('MQTT-3.9.3-2') : ref311('MQTT-3.8.4-5'),
      );
      continue;
    }
    if (levelsOver(parsed.filter, ctx.limits.maxTopicLevels)) {
      fail(
        0x97,
        `topic filter deeper than ${ctx.limits.maxTopicLevels} levels`,
        v5 ? ref50('MQTT-3.9.3-2') : ref311('MQTT-3.8.4-5'),
      );
      continue;
    }
    // 3.1.1 MQTT-3.8.4-6 / 5.0 MQTT-3.8.4-8: granted QoS capped by the server's maximum.
    const qos = (sub.qos < ctx.caps.maximumQoS ? sub.qos : ctx.caps.maximumQoS) as QoS;
    const rec: SubscriptionRecord = { filter: raw, qos };
    if (v5) {
      if (sub.noLocal) rec.noLocal = true;
      if (sub.retainAsPublished) rec.retainAsPublished = true;
      if (sub.retainHandling) rec.retainHandling = sub.retainHandling;
      if (subId !== undefined) rec.subscriptionId = subId;
    }
    // 3.8.4-3: an identical filter replaces the existing subscription.
    const existed = s.subscriptions.has(raw);
    c.fx.subscribe(s, rec);
    changed = true;
    codes.push(qos);
    // Retained messages (3.3.1-6 at 3.1.1; 3.3.1-9..11 at 5.0); never for shared subscriptions.
    const rh = v5 ? (sub.retainHandling ?? 0) : 0;
    if (parsed.group === undefined && ctx.caps.retainAvailable && (rh === 0 || (rh === 1 && !existed))) {
      todo.push({ filter: parsed.filter, qos, subIds: subId === undefined ? undefined : [subId] });
    }
  }
  if (changed && s.persistent) c.fx.persist.putSession(s.toRecord());
  const suback: SubackPacket = { type: 'suback', packetId: p.packetId, reasonCodes: codes };
  const send = () => {
    c.sendPacket(suback);
    sendRetained(c, todo);
  };
  // After the acknowledgements already waiting for a sync, in order (durable-acks.ts).
  if (changed && s.persistent && ctx.persistence.durable) (c.durableAcks ??= new DurableAcks(c)).after(send);
  else send();
}

/**
 * Variant: a shared / wildcard filter the CONNACK declared unavailable is a Protocol Error answered
 * with DISCONNECT 0x9E / 0xA2 (3.2.2.3.13 / 3.2.2.3.11) instead of a SUBACK code. Checked before
 * any filter of the packet takes effect. True when the connection was closed.
 */
function unsupportedFilter(c: Conn, p: SubscribePacket): boolean {
  const caps = c.ctx.caps;
  for (const sub of p.subscriptions) {
    const parsed = parseFilter(sub.topicFilter, c.protocolLevel);
    if (isProblem(parsed) || validateTopicFilter(parsed.filter, c.protocolLevel)) continue;
    if (parsed.group !== undefined && !caps.sharedSubscriptionAvailable) {
      c.protocolError('shared subscriptions are not supported', ref311('MQTT-4.8.0-1'), ref50('MQTT-4.13.1-1'), 0x9e);
      return true;
    }
    if (hasWildcard(parsed.filter) && !caps.wildcardSubscriptionAvailable) {
      c.protocolError('wildcard subscriptions are not supported', ref311('MQTT-4.8.0-1'), ref50('MQTT-4.13.1-1'), 0xa2);
      return true;
    }
  }
  return false;
}

function sendRetained(c: Conn, todo: RetainedTodo[]): void {
  const ctx = c.ctx;
  const s = c.session;
  if (!s || todo.length === 0) return;
  const now = ctx.clock.now();
  for (const t of todo) {
    const expired: string[] = [];
    for (const m of ctx.retained.match(t.filter, now, expired)) {
      // Sent because of a new subscription: RETAIN=1 (3.1.1 MQTT-3.3.1-8; 5.0 3.3.1.3).
      c.fx.deliver(s, m, (m.qos < t.qos ? m.qos : t.qos) as QoS, true, t.subIds);
    }
    for (const topic of expired) c.fx.persist.clearRetained(topic);
  }
}

export function onUnsubscribe(c: Conn, p: UnsubscribePacket): void {
  const ctx = c.ctx;
  const s = c.session!;
  const codes: number[] = [];
  let changed = false;
  for (const f of p.topicFilters) {
    // 3.10.4-1: compared character by character with existing filters.
    const removed = s.subscriptions.has(f);
    if (removed) c.fx.unsubscribe(s, f);
    changed ||= removed;
    // Variant: 0x00 also where nothing existed (MQTT-3.11.3-2 only requires an Unsubscribe Reason Code).
    codes.push(removed || ctx.variant.alternativeReasonCodes ? 0x00 : 0x11);
  }
  if (changed && s.persistent) c.fx.persist.putSession(s.toRecord());
  const ack: UnsubackPacket = { type: 'unsuback', packetId: p.packetId };
  if (c.level5) ack.reasonCodes = codes;
  c.sendPacket(ack);
}
