/**
 * CONNECT and AUTH handling (3.1, 3.2, 3.15, 4.12): validation, authentication (plain and
 * enhanced, incl. re-authentication) and refusals. An accepted CONNECT goes on in
 * connect-accept.ts (session takeover, Clean Start / Session Expiry, CONNACK).
 */
import { randomBytes } from 'node:crypto';
import { type AuthPacket, type ConnectPacket, type ConnackPacket, type Properties } from '../codec/index.ts';
import { formatRef, ref311, ref50, type StatementRef } from '../spec/types.ts';
import type { AuthStep } from './hooks.ts';
import { ConnState, type Conn } from './conn-api.ts';
import { accept } from './connect-accept.ts';

/** 5.0 CONNACK reason code -> 3.1.1 return code. */
function toReturnCode311(rc: number): number {
  switch (rc) {
    case 0x84:
      return 1;
    case 0x85:
      return 2;
    case 0x86:
      return 4;
    case 0x87:
    case 0x8a:
    case 0x8c:
      return 5;
    default:
      return 3;
  }
}

/** Reason codes a DISCONNECT may carry (5.0 section 3.14.2.1, MQTT-3.14.2-1). */
const DISCONNECT_CODES = new Set([
  0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8b, 0x8d, 0x8e, 0x8f, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98,
  0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2,
]);

/**
 * The DISCONNECT reason for a failed re-authentication: the mechanism's code when a DISCONNECT
 * may carry it, else 0x87 Not authorized (e.g. 0x86 Bad user name or password is CONNACK-only).
 */
export function reauthFailureCode(rc: number): number {
  return rc >= 0x80 && DISCONNECT_CODES.has(rc) ? rc : 0x87;
}

function then<T>(v: T | Promise<T>, f: (x: T) => void | Promise<void>): void | Promise<void> {
  if (v instanceof Promise) return v.then(f);
  return f(v);
}

/**
 * Refuse the CONNECT with a CONNACK carrying `rc` (5.0 code; mapped at 3.1.1), then close (3.2.2-7).
 * Variant `refuseWithoutConnack`: a 5.0 refusal whose CONNACK is a MAY (3.1.4 step 2, 3.2.2.2) is
 * closed without it; `connackShould` marks the cases where the spec says SHOULD (they keep it).
 */
function refuse(
  c: Conn,
  rc: number,
  why: string,
  statement?: StatementRef,
  props?: Properties,
  connackShould = false,
): void {
  c.ctx.logger.info(`connection refused: ${why}`, {
    clientId: c.clientId,
    reasonCode: rc,
    ...(statement ? { statement: formatRef(statement) } : {}),
  });
  if (c.level5 && !connackShould && c.ctx.variant.refuseWithoutConnack) {
    c.close();
    return;
  }
  const p: ConnackPacket = { type: 'connack', sessionPresent: false, reasonCode: c.level5 ? rc : toReturnCode311(rc) };
  if (c.level5) {
    const pr: Properties = { ...props };
    if (c.problemInfo) pr.reasonString = why;
    p.properties = pr;
  }
  c.sendPacket(p);
  c.close();
}

export function onConnect(c: Conn, p: ConnectPacket): void | Promise<void> {
  const ctx = c.ctx;
  c.protocolLevel = p.protocolLevel;
  const props = p.properties ?? {};
  if (c.level5) {
    c.problemInfo = props.requestProblemInformation !== 0;
    if (props.maximumPacketSize !== undefined) c.clientMaxPacket = props.maximumPacketSize;
    c.aliasOutMax = props.topicAliasMaximum ?? 0;
  }
  if (ctx.closing) return refuse(c, 0x8b, 'server shutting down');
  if (ctx.live.size >= ctx.limits.maxConnections && !ctx.live.has(p.clientId))
    return refuse(c, 0x89, 'too many connections');

  let clientId = p.clientId;
  let assigned = false;
  if (clientId === '') {
    if (p.protocolLevel === 5 || (p.protocolLevel === 4 && p.clean)) {
      clientId = 'auto-' + randomBytes(9).toString('hex');
      assigned = p.protocolLevel === 5; // 5.0 MQTT-3.1.3-7 / MQTT-3.2.2-16
    } else {
      return refuse(
        c,
        0x85,
        'empty client identifier needs clean session',
        ref311(p.protocolLevel === 4 ? 'MQTT-3.1.3-8' : 'MQTT-3.1.3-9'),
      );
    }
  } else if (p.protocolLevel === 3 && Buffer.byteLength(clientId) > 23) {
    return refuse(c, 0x85, 'MQTT 3.1 client identifier longer than 23 bytes', ref311('MQTT-3.1.3-9'));
  }
  c.clientId = clientId;

  if (p.will && c.level5) {
    if (p.will.qos > ctx.caps.maximumQoS)
      return refuse(
        c,
        0x9b,
        `will QoS ${p.will.qos} above maximum QoS ${ctx.caps.maximumQoS}`,
        ref50('MQTT-3.2.2-12'),
        undefined,
        true,
      );
    if (p.will.retain && !ctx.caps.retainAvailable)
      return refuse(c, 0x9a, 'retained will but retain is not available', ref50('MQTT-3.2.2-13'), undefined, true);
  }
  c.info = {
    clientId,
    username: p.username,
    protocolLevel: p.protocolLevel,
    transport: c.transport,
    remoteAddress: c.remoteAddress,
  };

  const method = c.level5 ? props.authenticationMethod : undefined;
  if (method !== undefined) {
    const mech = ctx.authMechanisms.get(method);
    // MQTT-4.12.0-1 allows 0x8C or 0x87 (the variant's choice).
    if (!mech)
      return refuse(
        c,
        ctx.variant.alternativeReasonCodes ? 0x87 : 0x8c,
        `authentication method "${method}" not supported`,
        ref50('MQTT-4.12.0-1'),
      );
    c.authMethod = method;
    c.authSession = mech.createSession(c.info);
    c.state = ConnState.Authenticating;
    c.pendingConnect = { p, assigned };
    return then(c.authSession.start(props.authenticationData, props), (step) => authStep(c, step, p, assigned));
  }
  if (!ctx.allowAnonymous && p.username === undefined) return refuse(c, 0x87, 'anonymous clients not allowed');
  if (ctx.authenticator) {
    return then(ctx.authenticator.authenticate(c.info, p.password), (r) =>
      r.ok ? accept(c, p, assigned) : refuse(c, r.reasonCode, r.reason ?? 'authentication failed'),
    );
  }
  return accept(c, p, assigned);
}

function authStep(c: Conn, step: AuthStep, connect: ConnectPacket | null, assigned: boolean): void {
  if (c.state === ConnState.Closed) return;
  const method = c.authMethod!;
  if (step.kind === 'continue') {
    const props: Properties = { authenticationMethod: method };
    if (step.data) props.authenticationData = step.data;
    c.sendPacket({ type: 'auth', reasonCode: 0x18, properties: props }); // 4.12.0-2
    return;
  }
  if (step.kind === 'fail') {
    if (connect) return refuse(c, step.reasonCode, step.reason ?? 'authentication failed', ref50('MQTT-4.12.0-4'));
    c.reauthing = false;
    c.ctx.logger.info('re-authentication failed', {
      clientId: c.clientId,
      statement: formatRef(ref50('MQTT-4.12.1-2')),
    });
    return c.disconnect(reauthFailureCode(step.reasonCode), step.reason); // MQTT-3.14.2-1
  }
  const props: Properties = { authenticationMethod: method }; // 4.12.0-5
  if (step.data) props.authenticationData = step.data;
  if (connect) {
    if (step.username !== undefined && c.info) c.info.username = step.username;
    return accept(c, connect, assigned, props);
  }
  c.reauthing = false;
  c.sendPacket({ type: 'auth', reasonCode: 0x00, properties: props });
}

export function onAuth(c: Conn, p: AuthPacket): void | Promise<void> {
  const method = p.properties?.authenticationMethod;
  if (c.authMethod === undefined) {
    return c.protocolError(
      'AUTH without an authentication method in CONNECT',
      ref311('MQTT-4.8.0-1'),
      ref50('MQTT-4.12.0-7'),
    );
  }
  if (method !== c.authMethod) {
    return c.protocolError(
      `AUTH method "${method}" differs from CONNECT's "${c.authMethod}"`,
      ref311('MQTT-4.8.0-1'),
      ref50('MQTT-4.12.0-5'),
    );
  }
  const rc = p.reasonCode ?? 0;
  const data = p.properties?.authenticationData;
  if (c.state === ConnState.Authenticating || (c.reauthing && rc === 0x18)) {
    if (rc !== 0x18)
      return c.protocolError(
        `AUTH reason 0x${rc.toString(16)} while authenticating`,
        ref311('MQTT-4.8.0-1'),
        ref50('MQTT-4.12.0-3'),
      );
    const connecting = c.state === ConnState.Authenticating;
    const pending = connecting ? (c.pendingConnect ?? undefined) : undefined;
    return then(c.authSession!.next(data), (step) => authStep(c, step, pending?.p ?? null, pending?.assigned ?? false));
  }
  if (rc !== 0x19)
    return c.protocolError(
      `AUTH reason 0x${rc.toString(16)} outside an exchange`,
      ref311('MQTT-4.8.0-1'),
      ref50('MQTT-4.12.1-1'),
    );
  const mech = c.ctx.authMechanisms.get(c.authMethod)!;
  c.reauthing = true;
  c.authSession = mech.createSession(c.info!);
  return then(c.authSession.start(data, p.properties ?? {}), (step) => authStep(c, step, null, false));
}
