/**
 * Accepting a CONNECT (3.1.4, 3.2): session takeover and Clean Start / Session Expiry, the
 * CONNACK and its 5.0 properties (Server Keep Alive, limits, capabilities), then resumption.
 * Used by connect-flow.ts, after plain or enhanced authentication.
 */
import { encodePacket, type ConnectPacket, type ConnackPacket, type Properties } from '../codec/index.ts';
import { formatRef, ref50 } from '../spec/types.ts';
import { ConnState, type Conn } from './conn-api.ts';
import { NEVER_EXPIRES } from './options.ts';

export function accept(c: Conn, p: ConnectPacket, assigned: boolean, authProps?: Properties): void {
  if (c.state === ConnState.Closed) return;
  c.pendingConnect = null;
  const ctx = c.ctx;
  const props = p.properties ?? {};
  const requested = c.level5 ? (props.sessionExpiryInterval ?? 0) : p.clean ? 0 : NEVER_EXPIRES;
  const expiry = Math.min(requested, ctx.limits.maxSessionExpiryInterval);
  const serverKeepAlive = c.level5
    ? serverKeepAliveFor(ctx.caps.serverKeepAlive, ctx.limits.maxKeepAlive, p.keepAlive)
    : undefined;
  const ackProps = c.level5
    ? connackProperties(c, props, assigned, expiry, requested, serverKeepAlive, authProps)
    : undefined;
  // 5.0 MQTT-3.1.2-24: a CONNACK larger than the client's Maximum Packet Size must not be sent;
  // the only way on is to close before the session is touched.
  if (
    c.level5 &&
    encodePacket({ type: 'connack', sessionPresent: false, reasonCode: 0, properties: ackProps }, 5).length >
      c.clientMaxPacket
  ) {
    ctx.logger.info("CONNACK larger than the client's Maximum Packet Size: closing", {
      clientId: c.clientId,
      statement: formatRef(ref50('MQTT-3.1.2-24')),
    });
    c.close();
    return;
  }

  // 3.1.1 MQTT-3.1.4-2 / 5.0 MQTT-3.1.4-3: take over an existing connection of this client.
  const old = ctx.live.get(c.clientId);
  if (old && old !== c) {
    ctx.logger.info('session taken over', { clientId: c.clientId });
    old.disconnect(0x8e);
  }
  const { session, present } = ctx.sessions.open(c.clientId, p.protocolLevel, p.clean, expiry, requested === 0);
  c.session = session;
  session.conn = c;
  c.inboundBase = session.inbound.size;
  ctx.live.set(c.clientId, c);
  c.state = ConnState.Connected;
  ctx.stats.clientsConnected++;
  c.checkReads = ctx.authorizer?.checksDeliveries?.(c.info!) === true;
  // Variant oneMessageInFlight: a window of 1 whatever the client allows (5.0 4.9 lets a server send fewer).
  const window = ctx.variant.oneMessageInFlight ? 1 : ctx.limits.maxInflight;
  session.out.receiveMaximum = Math.min(c.level5 ? (props.receiveMaximum ?? 65535) : 65535, window);

  if (p.will) {
    const wp = p.will.properties;
    c.will = {
      topic: p.will.topic,
      payload: p.will.payload,
      qos: p.will.qos,
      retain: p.will.retain,
      publisher: c.clientId,
    };
    if (wp) {
      const { willDelayInterval, messageExpiryInterval, ...rest } = wp;
      if (rest.payloadFormatIndicator === 0 && ctx.variant.omitDefaultProperties) delete rest.payloadFormatIndicator;
      if (Object.keys(rest).length > 0) c.will.properties = rest;
      c.willDelay = willDelayInterval ?? 0;
      c.willExpiry = messageExpiryInterval;
    }
  }
  // Server Keep Alive exists only in 5.0 (3.2.2.3.14): a 3.1.1 client cannot be told, so its own
  // Keep Alive stays in force (3.1.1 MQTT-3.1.2-24).
  const keepAlive = serverKeepAlive ?? p.keepAlive;
  c.startKeepAlive(keepAlive);

  const ack: ConnackPacket = { type: 'connack', sessionPresent: present, reasonCode: 0 };
  if (ackProps) ack.properties = ackProps;
  c.sendPacket(ack);
  ctx.logger.debug('client connected', {
    clientId: c.clientId,
    level: p.protocolLevel,
    sessionPresent: present,
    transport: c.transport,
  });
  if (present) c.resumeSession();
}

/** The 5.0 CONNACK properties of an accepted CONNECT (undefined when there are none). */
/**
 * The 5.0 Server Keep Alive to send, or undefined to leave the client's own in force:
 * `capabilities.serverKeepAlive` overrides every client; else `limits.maxKeepAlive` caps a client
 * asking for more, or for 0 (no keep alive), and leaves a shorter one alone (mosquitto's
 * max_keepalive). 3.1.1 cannot be told (3.1.2.10), so its clients keep their own.
 */
export function serverKeepAliveFor(
  serverKeepAlive: number | undefined,
  maxKeepAlive: number | undefined,
  requested: number,
): number | undefined {
  if (serverKeepAlive !== undefined) return serverKeepAlive;
  if (maxKeepAlive !== undefined && (requested === 0 || requested > maxKeepAlive)) return maxKeepAlive;
  return undefined;
}

function connackProperties(
  c: Conn,
  props: Properties,
  assigned: boolean,
  expiry: number,
  requested: number,
  serverKeepAlive: number | undefined,
  authProps?: Properties,
): Properties | undefined {
  const caps = c.ctx.caps;
  const a: Properties = { ...authProps };
  if (expiry !== requested) a.sessionExpiryInterval = expiry;
  if (caps.receiveMaximum < 65535) a.receiveMaximum = caps.receiveMaximum;
  if (caps.maximumQoS < 2) a.maximumQoS = caps.maximumQoS;
  if (!caps.retainAvailable) a.retainAvailable = 0;
  if (caps.maximumPacketSize < 268_435_460) a.maximumPacketSize = caps.maximumPacketSize;
  if (assigned) a.assignedClientIdentifier = c.clientId;
  if (caps.topicAliasMaximum > 0) a.topicAliasMaximum = caps.topicAliasMaximum;
  if (!caps.wildcardSubscriptionAvailable) a.wildcardSubscriptionAvailable = 0;
  if (!caps.subscriptionIdentifiersAvailable) a.subscriptionIdentifierAvailable = 0;
  if (!caps.sharedSubscriptionAvailable) a.sharedSubscriptionAvailable = 0;
  if (serverKeepAlive !== undefined) a.serverKeepAlive = serverKeepAlive;
  // Response Information only when asked for (5.0 MQTT-3.1.2-28): a topic prefix this client may use.
  if (props.requestResponseInformation === 1) a.responseInformation = `response/${c.clientId}`;
  return Object.keys(a).length > 0 ? a : undefined;
}
