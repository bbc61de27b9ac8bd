/** Resource limits seen from outside: oversized packets, idle pre-CONNECT sockets, subscriptions and queues per client. */
import { randomBytes } from 'node:crypto';
import { connected, ProbeClient } from './probe-client.ts';
import type { AuditCheck, AuditOptions } from './types.ts';

const rid = (): string => randomBytes(4).toString('hex');
const MiB = 1024 * 1024;

export async function oversizedPacket(o: AuditOptions): Promise<AuditCheck> {
  const size = o.oversizeBytes ?? 16 * MiB;
  const base = {
    id: 'oversized-packet',
    title: 'oversized packets accepted without a limit',
    severity: 'medium' as const,
    tried: `PUBLISH QoS 1 with a ${(size / MiB).toFixed(0)} MiB payload`,
  };
  const r = await connected(o.endpoint, 5, `audit-big-${rid()}`, o.identity);
  if (!r.client)
    return { ...base, verdict: 'inconclusive', answer: `the audit identity was refused (${r.error ?? r.code})` };
  const c = r.client;
  c.send({
    type: 'publish',
    topic: `${o.prefix ?? 'audit'}/${rid()}/big`,
    payload: Buffer.alloc(size, 0x61),
    qos: 1,
    retain: false,
    dup: false,
    packetId: 7,
  });
  const ack = await c.next('puback', 15_000, (p) => p.packetId === 7);
  const closed = c.closed || (await c.waitClosed(200));
  c.end();
  if (ack && (ack.reasonCode ?? 0) < 0x80 && !closed)
    return {
      ...base,
      verdict: 'failed',
      answer: 'accepted (PUBACK 0x00) and no Maximum Packet Size was declared in CONNACK',
    };
  return {
    ...base,
    verdict: 'passed',
    answer: ack
      ? `refused (PUBACK 0x${(ack.reasonCode ?? 0).toString(16)})`
      : closed
        ? 'refused: the connection was closed'
        : 'no acknowledgement within 15 s',
  };
}

export async function idleBeforeConnect(o: AuditOptions): Promise<AuditCheck> {
  const wait = o.idleWaitMs ?? 15_000;
  const base = {
    id: 'idle-no-connect',
    title: 'connections that never send CONNECT are never closed',
    severity: 'medium' as const,
    tried: `open a TCP connection, send nothing, wait ${wait / 1000} s`,
  };
  let c: ProbeClient;
  try {
    c = await ProbeClient.open(o.endpoint, 4);
  } catch (e) {
    return { ...base, verdict: 'inconclusive', answer: `unreachable: ${(e as Error).message}` };
  }
  const t0 = Date.now();
  const closed = await c.waitClosed(wait);
  c.end();
  return {
    ...base,
    verdict: closed ? 'passed' : 'failed',
    answer: closed
      ? `closed by the broker after ${((Date.now() - t0) / 1000).toFixed(1)} s`
      : `still open after ${wait / 1000} s`,
  };
}

export async function subscriptionLimit(o: AuditOptions): Promise<AuditCheck> {
  const n = o.subscriptionProbe ?? 10_000;
  const base = {
    id: 'unlimited-subscriptions',
    title: 'no limit on subscriptions per client',
    severity: 'low' as const,
    tried: `SUBSCRIBE ${n} distinct filters on one connection, 100 per packet`,
  };
  const r = await connected(o.endpoint, 5, `audit-subs-${rid()}`, o.identity);
  if (!r.client)
    return { ...base, verdict: 'inconclusive', answer: `the audit identity was refused (${r.error ?? r.code})` };
  const c = r.client;
  const prefix = `${o.prefix ?? 'audit'}/${rid()}`;
  let ok = 0,
    refused = 0;
  for (let i = 0; i < n / 100 && !c.closed; i++) {
    c.send({
      type: 'subscribe',
      packetId: (i % 65000) + 1,
      subscriptions: Array.from({ length: 100 }, (_, k) => ({ topicFilter: `${prefix}/${i}/${k}`, qos: 0 as const })),
    });
    const s = await c.next('suback', 5000, (p) => p.packetId === (i % 65000) + 1);
    if (!s) break;
    for (const code of s.reasonCodes) {
      if (code < 0x80) ok++;
      else refused++;
    }
    if (refused > 0) break;
  }
  const closed = c.closed;
  c.end();
  if (ok >= n) return { ...base, verdict: 'failed', answer: `all ${ok} granted` };
  if (ok === 0)
    return {
      ...base,
      verdict: 'inconclusive',
      answer: `the first filters under "${prefix}" were refused (an ACL?): give a --prefix the identity may subscribe to`,
    };
  return {
    ...base,
    verdict: 'passed',
    answer: `limited: ${ok} granted, then ${refused > 0 ? `refused (${refused})` : closed ? 'the connection was closed' : 'no SUBACK'}`,
  };
}

export async function queueLimit(o: AuditOptions): Promise<AuditCheck> {
  const n = o.queueProbe ?? 3000;
  const base = {
    id: 'unlimited-queue',
    title: 'no limit on messages queued for an offline client',
    severity: 'low' as const,
    tried: `persistent session subscribed at QoS 1 goes offline; ${n} QoS 1 messages are published; then it reconnects`,
  };
  const id = `audit-queue-${rid()}`;
  const topic = `${o.prefix ?? 'audit'}/${rid()}/q`;
  const s1 = await connected(o.endpoint, 5, id, o.identity, {
    clean: true,
    properties: { sessionExpiryInterval: 300 },
  });
  if (!s1.client)
    return { ...base, verdict: 'inconclusive', answer: `the audit identity was refused (${s1.error ?? s1.code})` };
  s1.client.send({ type: 'subscribe', packetId: 1, subscriptions: [{ topicFilter: topic, qos: 1 }] });
  const sa = await s1.client.next('suback', 3000);
  s1.client.send({ type: 'disconnect', reasonCode: 0 });
  s1.client.end();
  if (!sa || sa.reasonCodes[0] >= 0x80)
    return { ...base, verdict: 'inconclusive', answer: 'the subscription was refused' };
  const pub = await connected(o.endpoint, 5, `audit-qpub-${rid()}`, o.identity);
  if (!pub.client) return { ...base, verdict: 'inconclusive', answer: 'publisher refused' };
  for (let i = 0; i < n; i++)
    pub.client.send({
      type: 'publish',
      topic,
      payload: Buffer.from(String(i)),
      qos: 1,
      retain: false,
      dup: false,
      packetId: (i % 65000) + 1,
    });
  let acks = 0;
  while (acks < n && (await pub.client.next('puback', 5000))) acks++;
  pub.client.end();
  const s2 = await connected(o.endpoint, 5, id, o.identity, {
    clean: false,
    properties: { sessionExpiryInterval: 0, receiveMaximum: 65535 },
  });
  if (!s2.client) return { ...base, verdict: 'inconclusive', answer: 'reconnect refused' };
  let got = 0;
  for (;;) {
    const p = await s2.client.next('publish', 1500);
    if (!p) break;
    got++;
    if (p.packetId !== undefined) s2.client.send({ type: 'puback', packetId: p.packetId });
  }
  s2.client.end();
  if (got >= n) return { ...base, verdict: 'failed', answer: `all ${got} queued messages were delivered on reconnect` };
  return {
    ...base,
    verdict: 'passed',
    answer: `limited: ${got} of ${n} delivered on reconnect (${acks} acknowledged to the publisher)`,
  };
}
