/**
 * A run's CONNECT step: opens the strict test client, sends CONNECT (will, 5.0 session expiry and
 * Receive Maximum), and records the connection with the capabilities its CONNACK declared.
 */
import { TestClient } from '../client/test-client.ts';
import type { DeclaredCaps, QoS } from '../model/types.ts';
import type { Step } from './program.ts';
import { now, type ClientState, type RunContext } from './run-context.ts';
import { onPacket } from './run-incoming.ts';

export async function connect(ctx: RunContext, c: ClientState, s: Extract<Step, { k: 'connect' }>): Promise<void> {
  const tc = await TestClient.open({
    url: ctx.target.url,
    caFile: ctx.target.caFile,
    insecure: ctx.target.insecure,
    name: c.name,
    trace: ctx.trace,
    protocolLevel: ctx.level,
    connectTimeoutMs: ctx.timeout,
  });
  const conn = ++ctx.connSeq;
  c.conn = conn;
  c.tc = tc;
  c.everConnected = true;
  c.nextPid = 1;
  c.out.clear();
  c.closedRecorded = false;
  if (s.clean) c.inQos2.clear();
  tc.onPacket = onPacket(ctx, c, conn);
  const expiry = ctx.v5 ? (s.persistent ? 300 : 0) : undefined;
  if (s.will) ctx.msgStep[`${ctx.o.prefix}:w${ctx.msgSeq + 1}`] = { step: ctx.stepNo, i: 0, will: true };
  const will = s.will
    ? {
        msg: `${ctx.o.prefix}:w${++ctx.msgSeq}`,
        topic: ctx.topic(s.will.topic),
        qos: s.will.qos,
        retain: s.will.retain,
        delay: ctx.v5 ? s.will.delay : undefined,
      }
    : undefined;
  const t = now();
  const ack = await tc.connect(
    {
      clientId: c.clientId,
      level: ctx.level,
      clean: ctx.v5 ? s.clean : s.clean,
      keepAlive: 0,
      username: ctx.target.username,
      password: ctx.target.password,
      will: will
        ? {
            topic: will.topic,
            payload: will.msg,
            qos: will.qos,
            retain: will.retain,
            properties: ctx.v5 && will.delay ? { willDelayInterval: will.delay } : undefined,
          }
        : undefined,
      properties: ctx.v5
        ? {
            ...(expiry ? { sessionExpiryInterval: expiry } : {}),
            ...(s.receiveMaximum ? { receiveMaximum: s.receiveMaximum } : {}),
          }
        : undefined,
    },
    ctx.timeout,
  );
  const pr = ack.properties ?? {};
  const connackCaps: DeclaredCaps = ctx.v5
    ? {
        maximumQoS: pr.maximumQoS as QoS | undefined,
        retainAvailable: pr.retainAvailable === undefined ? undefined : pr.retainAvailable === 1,
        sharedSubscriptionAvailable:
          pr.sharedSubscriptionAvailable === undefined ? undefined : pr.sharedSubscriptionAvailable === 1,
        subscriptionIdentifiersAvailable:
          pr.subscriptionIdentifierAvailable === undefined ? undefined : pr.subscriptionIdentifierAvailable === 1,
        wildcardSubscriptionAvailable:
          pr.wildcardSubscriptionAvailable === undefined ? undefined : pr.wildcardSubscriptionAvailable === 1,
        receiveMaximum: pr.receiveMaximum,
      }
    : {};
  c.caps = { ...ctx.o.caps };
  for (const [k, v] of Object.entries(connackCaps)) if (v !== undefined) (c.caps as Record<string, unknown>)[k] = v;
  c.serverRm = pr.receiveMaximum ?? 65535;
  const effExpiry = ctx.v5 ? (pr.sessionExpiryInterval ?? expiry) : undefined;
  ctx.h.push({
    k: 'connect',
    t,
    t1: now(),
    conn,
    clientId: c.clientId,
    clean: s.clean,
    expiry: effExpiry,
    will,
    receiveMaximum: s.receiveMaximum,
    sessionPresent: ack.sessionPresent,
    reasonCode: ack.reasonCode ?? 0,
    caps: c.caps,
  });
  if ((ack.reasonCode ?? 0) !== 0) {
    ctx.trouble = `${c.name}: CONNECT refused with reason ${ack.reasonCode}`;
    tc.destroy();
  }
}
