/**
 * Inbound PUBLISH and the four acknowledgements (3.3-3.7, 4.3, 4.9): topic aliases, capability
 * checks, authorization, payload format, QoS 1/2 receive flow, outbound ack handling.
 */
import { isUtf8 } from 'node:buffer';
import type { AckPacket, Properties, PublishPacket } from '../codec/index.ts';
import { formatRef, ref311, ref50 } from '../spec/types.ts';
import type { Conn } from './conn-api.ts';
import type { Message } from './message.ts';
import { DurableAcks } from './durable-acks.ts';
import { levelsOver } from './topic-validate.ts';

export function onPublish(c: Conn, p: PublishPacket): void {
  const ctx = c.ctx;
  const s = c.session!;
  ctx.stats.messagesReceived++;
  let topic = p.topic;
  let props = p.properties;
  if (c.level5) {
    if (props?.topicAlias !== undefined) {
      const alias = props.topicAlias;
      if (alias === 0 || alias > ctx.caps.topicAliasMaximum) {
        return c.protocolError(
          `topic alias ${alias} outside 1..${ctx.caps.topicAliasMaximum}`,
          ref311('MQTT-4.8.0-1'),
          ref50('MQTT-3.3.2-12'),
          0x94,
        );
      }
      if (topic.length > 0) (c.aliasIn ??= new Map()).set(alias, topic);
      else {
        const t = c.aliasIn?.get(alias);
        if (t === undefined)
          return c.protocolError(`topic alias ${alias} has no mapping`, ref311('MQTT-4.8.0-1'), ref50('MQTT-3.3.2-7'));
        topic = t;
      }
      const { topicAlias: _a, ...rest } = props;
      props = Object.keys(rest).length > 0 ? rest : undefined;
    } else if (topic.length === 0) {
      return c.protocolError(
        'PUBLISH with empty topic and no topic alias',
        ref311('MQTT-4.7.3-1'),
        ref50('MQTT-3.3.2-1'),
      );
    }
    if (p.qos > ctx.caps.maximumQoS) {
      return c.protocolError(
        `PUBLISH QoS ${p.qos} above maximum QoS ${ctx.caps.maximumQoS}`,
        ref311('MQTT-4.8.0-1'),
        ref50('MQTT-3.2.2-11'),
        0x9b,
      );
    }
    if (p.retain && !ctx.caps.retainAvailable) {
      return c.protocolError(
        'retained PUBLISH but retain is not available',
        ref311('MQTT-4.8.0-1'),
        ref50('MQTT-3.2.2-14'),
        0x9a,
      );
    }
    if (
      p.qos > 0 &&
      s.inbound.size - c.inboundBase + c.pendingAcks >= ctx.caps.receiveMaximum &&
      !s.inbound.has(p.packetId!)
    ) {
      return c.protocolError(
        `more than Receive Maximum (${ctx.caps.receiveMaximum}) unacknowledged QoS>0 PUBLISHes`,
        ref311('MQTT-4.8.0-1'),
        ref50('MQTT-3.3.4-7'),
        0x93,
      );
    }
  }
  const id = p.packetId ?? 0;
  if (ctx.authorizer && !ctx.authorizer.authorize(c.info!, 'write', topic)) {
    ctx.logger.info('publish not authorized', { clientId: c.clientId, topic });
    // Variant: 3.1.1 MQTT-3.3.5-2 allows closing the connection instead of a positive ack.
    if (!c.level5 && ctx.variant.closeOnUnauthorizedPublish311) return c.close();
    // 3.1.1 MQTT-3.3.5-2: positive ack (or close); 5.0: ack with 0x87.
    return refuseAck(c, p, c.level5 ? 0x87 : 0, 'not authorized');
  }
  if (levelsOver(topic, ctx.limits.maxTopicLevels)) {
    ctx.logger.info('publish refused: topic too deep', { clientId: c.clientId, levels: ctx.limits.maxTopicLevels });
    return refuseAck(c, p, c.level5 ? 0x97 : 0, `topic deeper than ${ctx.limits.maxTopicLevels} levels`);
  }
  if (c.level5 && props?.payloadFormatIndicator === 1 && !isUtf8(p.payload)) {
    ctx.logger.info('payload format indicator says UTF-8 but payload is not', { clientId: c.clientId, topic });
    // 3.3.2.3.2: PUBACK, PUBREC or DISCONNECT with 0x99; the variant takes DISCONNECT.
    if (ctx.variant.alternativeReasonCodes) return c.disconnect(0x99, 'payload is not valid UTF-8');
    return refuseAck(c, p, 0x99, 'payload is not valid UTF-8');
  }
  // Variant: Payload Format Indicator 0 is "equivalent to not sending" one (3.3.2.3.2): forward it absent.
  if (props?.payloadFormatIndicator === 0 && ctx.variant.omitDefaultProperties) {
    const { payloadFormatIndicator: _f, ...rest } = props;
    props = Object.keys(rest).length > 0 ? (rest as Properties) : undefined;
  }
  const msg: Message = { topic, payload: p.payload, qos: p.qos, retain: p.retain, publisher: c.clientId };
  if (props) {
    const exp = props.messageExpiryInterval;
    if (exp !== undefined) {
      msg.expiresAt = ctx.clock.now() + exp * 1000;
      const { messageExpiryInterval: _e, ...rest } = props;
      props = Object.keys(rest).length > 0 ? (rest as Properties) : undefined;
    }
    if (props) msg.properties = props;
  }
  if (p.qos === 0) return c.fx.route(msg);
  if (p.qos === 1) {
    c.fx.route(msg);
    return ack(c, 'puback', id);
  }
  if (s.inbound.publish(id) === 'new') {
    // Method A (4.3.3): route on first receipt, remember the id until PUBREL.
    if (s.persistent) c.fx.persist.addInbound(s.clientId, id);
    // Crash safety (soak:crash): with durable persistence, copies for online subscribers go out
    // only once the packet id (and the queued copies) are on disk; else a kill -9 before the sync
    // lets the publisher's resend be routed a second time (a QoS 2 duplicate, 4.3.3).
    if (s.persistent && ctx.persistence.durable) holdWrites(c, () => c.fx.route(msg));
    else c.fx.route(msg);
  }
  ack(c, 'pubrec', id);
}

/** Acknowledge a received PUBLISH; with durable persistence only once what it caused is on disk (durable-acks.ts). */
function ack(c: Conn, type: 'puback' | 'pubrec', id: number): void {
  if (!c.ctx.persistence.durable) return c.sendAck(type, id);
  const d = (c.durableAcks ??= new DurableAcks(c));
  if (type === 'puback') d.puback(id);
  else d.pubrec(id);
}

/** Run `route`, holding every connection write it makes until the next sync completes. */
function holdWrites(c: Conn, route: () => void): void {
  const ctx = c.ctx;
  const outer = ctx.heldWrites;
  const held: Array<() => void> = outer ?? [];
  ctx.heldWrites = held;
  try {
    route();
  } finally {
    ctx.heldWrites = outer;
  }
  if (outer || held.length === 0) return;
  afterSync(c, () => {
    for (const w of held) w();
  });
}

/** Run `send` once what is recorded so far is durable (at once with memory persistence). */
function afterSync(c: Conn, send: () => void): void {
  if (!c.ctx.persistence.durable) return send();
  c.afterDurable(send, (e: unknown) => {
    c.ctx.logger.error('persistence sync failed; closing connection', { clientId: c.clientId, error: String(e) });
    c.disconnect(0x80);
  });
}

function refuseAck(c: Conn, p: PublishPacket, rc: number, reason: string): void {
  if (p.qos === 1) c.sendAck('puback', p.packetId!, rc, reason);
  else if (p.qos === 2) {
    if (rc < 0x80) c.session!.inbound.publish(p.packetId!);
    c.sendAck('pubrec', p.packetId!, rc, reason);
  }
}

export function onPubrel(c: Conn, p: AckPacket<'pubrel'>): void {
  const s = c.session!;
  const { known } = s.inbound.pubrel(p.packetId);
  // 4.3.3-11 (5.0) / 4.3.3-2 (3.1.1): always answer PUBCOMP; 0x92 when the id is unknown at 5.0.
  const rc = known || !c.level5 ? 0 : 0x92;
  if (known && s.persistent) {
    c.fx.persist.removeInbound(s.clientId, p.packetId);
    return afterSync(c, () => c.sendAck('pubcomp', p.packetId, rc));
  }
  c.sendAck('pubcomp', p.packetId, rc);
}

export function onPuback(c: Conn, p: AckPacket<'puback'>): void {
  const s = c.session!;
  const r = s.out.puback(p.packetId, c.ctx.clock.now());
  if (!r.known) return unknownAck(c, 'PUBACK', p.packetId);
  if (r.done && s.persistent) c.fx.persist.removeOutbound(s.clientId, r.done.seq);
  c.sendReleased(r.release);
}

export function onPubrec(c: Conn, p: AckPacket<'pubrec'>): void {
  const s = c.session!;
  const r = s.out.pubrec(p.packetId, p.reasonCode ?? 0, c.ctx.clock.now());
  if (!r.known) {
    unknownAck(c, 'PUBREC', p.packetId);
    if (c.level5) c.sendAck('pubrel', p.packetId, 0x92);
    else c.sendPubrel(p.packetId);
    return;
  }
  if (s.persistent) {
    if (r.done) c.fx.persist.removeOutbound(s.clientId, r.done.seq);
    else c.fx.persist.putOutbound(s.clientId, s.out.inflight.get(p.packetId)!);
  }
  // 4.3.3-4. Crash safety (soak:crash): the PUBREC's receipt is made durable before PUBREL goes
  // out, else a restarted broker re-sends a PUBLISH the receiver already completed (a duplicate).
  if (r.sendPubrel) {
    if (s.persistent) afterSync(c, () => c.sendPubrel(p.packetId));
    else c.sendPubrel(p.packetId);
  }
  c.sendReleased(r.release);
}

export function onPubcomp(c: Conn, p: AckPacket<'pubcomp'>): void {
  const s = c.session!;
  const r = s.out.pubcomp(p.packetId, c.ctx.clock.now());
  if (!r.known) return unknownAck(c, 'PUBCOMP', p.packetId);
  if (r.done && s.persistent) c.fx.persist.removeOutbound(s.clientId, r.done.seq);
  c.sendReleased(r.release);
}

function unknownAck(c: Conn, kind: string, id: number): void {
  c.ctx.logger.debug(`${kind} for unknown packet id ignored`, {
    clientId: c.clientId,
    packetId: id,
    statement: formatRef(c.level5 ? ref50('MQTT-2.2.1-5') : ref311('MQTT-2.3.1-6')),
  });
}
