/**
 * A run's PUBLISH, SUBSCRIBE, UNSUBSCRIBE and DISCONNECT steps. Bursts go out without waiting
 * (within the broker's Receive Maximum); steps needing a capability the broker lacks are skipped;
 * every wait is bounded.
 */
import type { PublishPacket, SubackPacket } from '../codec/packet-types.ts';
import type { QoS, SubReq } from '../model/types.ts';
import type { Step } from './program.ts';
import { allocPid, now, sleep, type ClientState, type RunContext } from './run-context.ts';
import { connected, flushAcks } from './run-incoming.ts';

export async function publish(ctx: RunContext, c: ClientState, s: Extract<Step, { k: 'publish' }>): Promise<void> {
  const tc = c.tc!;
  const maxQ = c.caps.maximumQoS ?? 2;
  const q = (s.qos > maxQ ? maxQ : s.qos) as QoS;
  const retain = s.retain && c.caps.retainAvailable !== false;
  const count = s.empty ? 1 : s.count;
  const waits: Promise<void>[] = [];
  const qos0: string[] = [];
  for (let i = 0; i < count; i++) {
    // Within the broker's Receive Maximum: wait (a macrotask, so I/O runs) for an ack to free a slot.
    const windowDeadline = now() + ctx.timeout;
    while (c.out.size >= c.serverRm) {
      await new Promise<void>((r) => {
        const t = setTimeout(r, 20);
        c.wake = () => {
          clearTimeout(t);
          r();
        };
      });
      c.wake = undefined;
      if (!connected(ctx, c)) return;
      if (now() > windowDeadline) {
        ctx.notes.push(`${c.name}: the broker's Receive Maximum window stayed full for ${ctx.timeout} ms`);
        return;
      }
    }
    const id = `${ctx.o.prefix}:${s.empty ? 'e' : ''}${++ctx.msgSeq}`;
    ctx.msgStep[id] = { step: ctx.stepNo, i: i + 1 };
    const pk: PublishPacket = {
      type: 'publish',
      topic: ctx.topic(s.topic),
      payload: s.empty ? Buffer.alloc(0) : Buffer.from(id),
      qos: q,
      retain,
      dup: false,
    };
    if (q > 0) {
      pk.packetId = allocPid(c);
      waits.push(new Promise<void>((resolve) => c.out.set(pk.packetId!, { resolve, msg: id, qos: q })));
    } else qos0.push(id);
    ctx.h.push({ k: 'publish', t: now(), conn: c.conn, msg: id, topic: pk.topic, qos: q, retain, empty: s.empty });
    tc.send(pk);
  }
  const all = Promise.all(waits);
  const done = await Promise.race([all.then(() => true), sleep(ctx.timeout + count * 2).then(() => false)]);
  if (!done) ctx.notes.push(`${c.name}: not every acknowledgement came within ${ctx.timeout + count * 2} ms`);
  if (qos0.length > 0 && connected(ctx, c)) {
    tc.send({ type: 'pingreq' });
    try {
      await tc.expect({ type: 'pingresp' }, ctx.timeout);
      const t = now();
      for (const m of qos0) ctx.h.push({ k: 'published', t, conn: c.conn, msg: m });
    } catch {
      ctx.notes.push(`${c.name}: no PINGRESP`);
    }
  }
}

export async function subscribe(ctx: RunContext, c: ClientState, s: Extract<Step, { k: 'subscribe' }>): Promise<void> {
  const tc = c.tc!;
  if (s.share && c.caps.sharedSubscriptionAvailable === false) {
    ctx.notes.push('skipped: no shared subscriptions');
    return;
  }
  if (/[#+]/.test(s.filter) && c.caps.wildcardSubscriptionAvailable === false) {
    ctx.notes.push('skipped: no wildcards');
    return;
  }
  const req: SubReq = { filter: ctx.filterOf(s.filter, s.share), qos: s.qos };
  if (ctx.v5) {
    if (s.noLocal && !s.share) req.noLocal = true;
    if (s.rap) req.retainAsPublished = true;
    if (s.rh) req.retainHandling = s.rh;
    if (s.subId && c.caps.subscriptionIdentifiersAvailable !== false) req.subscriptionId = ++ctx.subIdSeq;
  }
  const pid = allocPid(c);
  const t = now();
  tc.send({
    type: 'subscribe',
    packetId: pid,
    subscriptions: [
      {
        topicFilter: req.filter,
        qos: req.qos,
        noLocal: req.noLocal,
        retainAsPublished: req.retainAsPublished,
        retainHandling: req.retainHandling,
      },
    ],
    ...(req.subscriptionId ? { properties: { subscriptionIdentifiers: [req.subscriptionId] } } : {}),
  });
  try {
    const ack = (await tc.expect({ type: 'suback', packetId: pid }, ctx.timeout)) as SubackPacket;
    ctx.h.push({ k: 'subscribe', t, t1: now(), conn: c.conn, subs: [req], granted: ack.reasonCodes });
  } catch {
    ctx.notes.push(`${c.name}: no SUBACK`);
  }
}

export async function unsubscribe(
  ctx: RunContext,
  c: ClientState,
  s: Extract<Step, { k: 'unsubscribe' }>,
): Promise<void> {
  const tc = c.tc!;
  const f = ctx.filterOf(s.filter, s.share);
  const pid = allocPid(c);
  const t = now();
  tc.send({ type: 'unsubscribe', packetId: pid, topicFilters: [f] });
  try {
    await tc.expect({ type: 'unsuback', packetId: pid }, ctx.timeout);
    ctx.h.push({ k: 'unsubscribe', t, t1: now(), conn: c.conn, filters: [f] });
  } catch {
    ctx.notes.push(`${c.name}: no UNSUBACK`);
  }
}

export async function disconnect(ctx: RunContext, c: ClientState, abrupt: boolean): Promise<void> {
  const tc = c.tc!;
  if (abrupt) {
    if (c.ackTimer) clearTimeout(c.ackTimer);
    c.ackTimer = undefined;
    c.ackQueue = [];
    ctx.h.push({ k: 'disconnect', t: now(), conn: c.conn, abrupt: true });
    tc.destroy();
  } else {
    flushAcks(ctx, c);
    ctx.h.push({ k: 'disconnect', t: now(), conn: c.conn, abrupt: false });
    tc.send(ctx.v5 ? { type: 'disconnect', reasonCode: 0 } : { type: 'disconnect' });
    await tc.close(ctx.timeout);
  }
  c.out.forEach((w) => w.resolve());
  c.out.clear();
}
