/**
 * Runs one explored program against a broker through the strict test client and records the
 * history the spec model judges. Clients acknowledge every PUBLISH themselves (acks leave in
 * small batches, so the broker's in-flight window is visible), publish bursts without waiting
 * (within the broker's Receive Maximum), and every wait is bounded.
 */
import { TestClient } from '../client/test-client.ts';
import { PacketTrace } from '../client/trace.ts';
import type { Packet, PublishPacket, SubackPacket } from '../codec/packet-types.ts';
import { owedCount } from '../model/check.ts';
import type { DeclaredCaps, HEvent, QoS, SubReq } from '../model/types.ts';
import type { Program, Step } from './program.ts';

export interface RunTarget {
  url: string;
  username?: string;
  password?: string;
  /** TLS: CA file, or skip verification (as the conformance run's target config). */
  caFile?: string;
  insecure?: boolean;
}

export interface RunOptions {
  /** Unique per program: topics, client ids and payloads start with it. */
  prefix: string;
  /** Bound on every single wait (acks, CONNACK, SUBACK). */
  stepTimeoutMs?: number;
  /**
   * At the end, how long to wait for what the model says is still owed without any progress
   * (a new packet); waiting goes on while packets keep arriving, up to 30 s in all.
   */
  settleMs?: number;
  /** Quiet time at the end to catch copies that should not come. */
  quietMs?: number;
  /**
   * What is known of the target's capabilities besides its CONNACK (a 3.1.1 broker cannot
   * declare them; a run configuration can): steps needing an absent one are skipped.
   */
  caps?: DeclaredCaps;
}

export interface RunResult {
  history: HEvent[];
  trace: PacketTrace;
  /** What the runner did per step ("skipped: not connected", "SUBACK timeout"...). */
  notes: string[];
  /** Which step (and index within a burst) sent each application message id. */
  msgStep: Record<string, { step: number; i: number; will?: boolean }>;
  /** The program's prefix of topics, client ids and payloads. */
  prefix: string;
  /** The program could not run properly (e.g. a CONNACK never came): no verdict on it. */
  harnessTrouble?: string;
}

interface Pending {
  resolve(): void;
  msg: string;
  qos: QoS;
}

interface ClientState {
  name: string;
  clientId: string;
  tc?: TestClient;
  conn: number;
  everConnected: boolean;
  nextPid: number;
  out: Map<number, Pending>;
  inQos2: Set<number>;
  ackQueue: Packet[];
  ackTimer?: NodeJS.Timeout;
  serverRm: number;
  caps: DeclaredCaps;
  closedRecorded: boolean;
  /** Called when an acknowledgement frees a slot of the broker's Receive Maximum. */
  wake?: () => void;
}

const now = (): number => performance.now();
/** Using a client that is not connected (re)connects it: resuming a persistent session (clean false, 5.0 expiry 300). */
export const IMPLICIT_CONNECT = (c: number): Extract<Step, { k: 'connect' }> => ({
  k: 'connect',
  c,
  clean: false,
  persistent: true,
});
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function runProgram(p: Program, target: RunTarget, o: RunOptions): Promise<RunResult> {
  const timeout = o.stepTimeoutMs ?? 1000;
  const trace = new PacketTrace();
  const h: HEvent[] = [];
  const notes: string[] = [];
  const level = p.version === '5.0' ? 5 : 4;
  const v5 = level === 5;
  let connSeq = 0;
  let msgSeq = 0;
  let subIdSeq = 0;
  const clients: ClientState[] = Array.from({ length: p.clients }, (_, i) => ({
    name: `c${i}`,
    clientId: `${o.prefix}c${i}`,
    conn: 0,
    everConnected: false,
    nextPid: 1,
    out: new Map(),
    inQos2: new Set(),
    ackQueue: [],
    serverRm: 65535,
    caps: {},
    closedRecorded: false,
  }));
  const topic = (t: string): string => `${o.prefix}/${t}`;
  const filterOf = (f: string, share?: boolean): string => (share ? `$share/g/${o.prefix}/${f}` : `${o.prefix}/${f}`);
  let trouble: string | undefined;
  let finished = false;
  let stepNo = -1;
  const msgStep: RunResult['msgStep'] = {};

  const flushAcks = (c: ClientState): void => {
    if (c.ackTimer) {
      clearTimeout(c.ackTimer);
      c.ackTimer = undefined;
    }
    const q = c.ackQueue.splice(0);
    if (!c.tc || c.tc.closed) return;
    for (const a of q) {
      c.tc.send(a);
      if (a.type === 'puback') h.push({ k: 'ack', t: now(), conn: c.conn, packetId: a.packetId });
    }
  };
  const queueAck = (c: ClientState, a: Packet): void => {
    c.ackQueue.push(a);
    c.ackTimer ??= setTimeout(() => {
      c.ackTimer = undefined;
      flushAcks(c);
    }, 1);
  };
  const onPacket =
    (c: ClientState, conn: number) =>
    (pk: Packet): boolean => {
      if (c.conn !== conn || finished) return true;
      switch (pk.type) {
        case 'publish': {
          const pl = pk as PublishPacket;
          h.push({
            k: 'receive',
            t: now(),
            conn,
            topic: pl.topic,
            msg: pl.payload.length > 0 ? pl.payload.toString() : undefined,
            qos: pl.qos,
            retain: pl.retain,
            dup: pl.dup,
            packetId: pl.packetId,
            subIds: pl.properties?.subscriptionIdentifiers,
          });
          if (pl.qos === 1) queueAck(c, { type: 'puback', packetId: pl.packetId! });
          if (pl.qos === 2) {
            c.inQos2.add(pl.packetId!);
            queueAck(c, { type: 'pubrec', packetId: pl.packetId! });
          }
          return true;
        }
        case 'pubrel':
          c.inQos2.delete(pk.packetId);
          c.tc?.send({ type: 'pubcomp', packetId: pk.packetId });
          h.push({ k: 'ack', t: now(), conn, packetId: pk.packetId });
          return true;
        case 'puback':
        case 'pubcomp': {
          const w = c.out.get(pk.packetId);
          if (w) {
            c.out.delete(pk.packetId);
            if ((pk.reasonCode ?? 0) < 0x80) h.push({ k: 'published', t: now(), conn, msg: w.msg });
            w.resolve();
            c.wake?.();
          }
          return true;
        }
        case 'pubrec': {
          const w = c.out.get(pk.packetId);
          if (w && (pk.reasonCode ?? 0) >= 0x80) {
            c.out.delete(pk.packetId);
            w.resolve();
            c.wake?.();
            return true;
          }
          c.tc?.send({ type: 'pubrel', packetId: pk.packetId });
          return true;
        }
        default:
          return false;
      }
    };
  const noteClosed = (c: ClientState): void => {
    if (c.tc && c.tc.closed && !c.tc.closeInfo!.byUs && !c.closedRecorded) {
      c.closedRecorded = true;
      h.push({ k: 'closed', t: now(), conn: c.conn });
      notes.push(`${c.name}: the broker closed the connection`);
    }
  };
  const connected = (c: ClientState): boolean => {
    noteClosed(c);
    return c.tc !== undefined && !c.tc.closed && !c.tc.closing;
  };

  const connect = async (c: ClientState, s: Extract<Step, { k: 'connect' }>): Promise<void> => {
    const tc = await TestClient.open({
      url: target.url,
      caFile: target.caFile,
      insecure: target.insecure,
      name: c.name,
      trace,
      protocolLevel: level,
      connectTimeoutMs: timeout,
    });
    const conn = ++connSeq;
    c.conn = conn;
    c.tc = tc;
    c.everConnected = true;
    c.nextPid = 1;
    c.out.clear();
    c.closedRecorded = false;
    if (s.clean) c.inQos2.clear();
    tc.onPacket = onPacket(c, conn);
    const expiry = v5 ? (s.persistent ? 300 : 0) : undefined;
    if (s.will) msgStep[`${o.prefix}:w${msgSeq + 1}`] = { step: stepNo, i: 0, will: true };
    const will = s.will
      ? {
          msg: `${o.prefix}:w${++msgSeq}`,
          topic: topic(s.will.topic),
          qos: s.will.qos,
          retain: s.will.retain,
          delay: v5 ? s.will.delay : undefined,
        }
      : undefined;
    const t = now();
    const ack = await tc.connect(
      {
        clientId: c.clientId,
        level,
        clean: v5 ? s.clean : s.clean,
        keepAlive: 0,
        username: target.username,
        password: target.password,
        will: will
          ? {
              topic: will.topic,
              payload: will.msg,
              qos: will.qos,
              retain: will.retain,
              properties: v5 && will.delay ? { willDelayInterval: will.delay } : undefined,
            }
          : undefined,
        properties: v5
          ? {
              ...(expiry ? { sessionExpiryInterval: expiry } : {}),
              ...(s.receiveMaximum ? { receiveMaximum: s.receiveMaximum } : {}),
            }
          : undefined,
      },
      timeout,
    );
    const pr = ack.properties ?? {};
    const connackCaps: DeclaredCaps = v5
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
    c.caps = { ...o.caps };
    for (const [k, v] of Object.entries(connackCaps)) if (v !== undefined) (c.caps as Record<string, unknown>)[k] = v;
    c.serverRm = pr.receiveMaximum ?? 65535;
    const effExpiry = v5 ? (pr.sessionExpiryInterval ?? expiry) : undefined;
    h.push({
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
      trouble = `${c.name}: CONNECT refused with reason ${ack.reasonCode}`;
      tc.destroy();
    }
  };

  const allocPid = (c: ClientState): number => {
    for (let i = 0; i < 65535; i++) {
      const pid = c.nextPid;
      c.nextPid = pid >= 65535 ? 1 : pid + 1;
      if (!c.out.has(pid)) return pid;
    }
    throw new Error('no free packet id');
  };

  const publish = async (c: ClientState, s: Extract<Step, { k: 'publish' }>): Promise<void> => {
    const tc = c.tc!;
    const maxQ = c.caps.maximumQoS ?? 2;
    const q = (s.qos > maxQ ? maxQ : s.qos) as QoS;
    const retain = s.retain && c.caps.retainAvailable !== false;
    const count = s.empty ? 1 : s.count;
    const waits: Promise<void>[] = [];
    const qos0: string[] = [];
    for (let i = 0; i < count; i++) {
      // Within the broker's Receive Maximum: wait (a macrotask, so I/O runs) for an ack to free a slot.
      const windowDeadline = now() + timeout;
      while (c.out.size >= c.serverRm) {
        await new Promise<void>((r) => {
          const t = setTimeout(r, 20);
          c.wake = () => {
            clearTimeout(t);
            r();
          };
        });
        c.wake = undefined;
        if (!connected(c)) return;
        if (now() > windowDeadline) {
          notes.push(`${c.name}: the broker's Receive Maximum window stayed full for ${timeout} ms`);
          return;
        }
      }
      const id = `${o.prefix}:${s.empty ? 'e' : ''}${++msgSeq}`;
      msgStep[id] = { step: stepNo, i: i + 1 };
      const pk: PublishPacket = {
        type: 'publish',
        topic: topic(s.topic),
        payload: s.empty ? Buffer.alloc(0) : Buffer.from(id),
        qos: q,
        retain,
        dup: false,
      };
      if (q > 0) {
        pk.packetId = allocPid(c);
        waits.push(new Promise<void>((resolve) => c.out.set(pk.packetId!, { resolve, msg: id, qos: q })));
      } else qos0.push(id);
      h.push({ k: 'publish', t: now(), conn: c.conn, msg: id, topic: pk.topic, qos: q, retain, empty: s.empty });
      tc.send(pk);
    }
    const all = Promise.all(waits);
    const done = await Promise.race([all.then(() => true), sleep(timeout + count * 2).then(() => false)]);
    if (!done) notes.push(`${c.name}: not every acknowledgement came within ${timeout + count * 2} ms`);
    if (qos0.length > 0 && connected(c)) {
      tc.send({ type: 'pingreq' });
      try {
        await tc.expect({ type: 'pingresp' }, timeout);
        const t = now();
        for (const m of qos0) h.push({ k: 'published', t, conn: c.conn, msg: m });
      } catch {
        notes.push(`${c.name}: no PINGRESP`);
      }
    }
  };

  const subscribe = async (c: ClientState, s: Extract<Step, { k: 'subscribe' }>): Promise<void> => {
    const tc = c.tc!;
    if (s.share && c.caps.sharedSubscriptionAvailable === false) {
      notes.push('skipped: no shared subscriptions');
      return;
    }
    if (/[#+]/.test(s.filter) && c.caps.wildcardSubscriptionAvailable === false) {
      notes.push('skipped: no wildcards');
      return;
    }
    const req: SubReq = { filter: filterOf(s.filter, s.share), qos: s.qos };
    if (v5) {
      if (s.noLocal && !s.share) req.noLocal = true;
      if (s.rap) req.retainAsPublished = true;
      if (s.rh) req.retainHandling = s.rh;
      if (s.subId && c.caps.subscriptionIdentifiersAvailable !== false) req.subscriptionId = ++subIdSeq;
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
      const ack = (await tc.expect({ type: 'suback', packetId: pid }, timeout)) as SubackPacket;
      h.push({ k: 'subscribe', t, t1: now(), conn: c.conn, subs: [req], granted: ack.reasonCodes });
    } catch {
      notes.push(`${c.name}: no SUBACK`);
    }
  };

  const unsubscribe = async (c: ClientState, s: Extract<Step, { k: 'unsubscribe' }>): Promise<void> => {
    const tc = c.tc!;
    const f = filterOf(s.filter, s.share);
    const pid = allocPid(c);
    const t = now();
    tc.send({ type: 'unsubscribe', packetId: pid, topicFilters: [f] });
    try {
      await tc.expect({ type: 'unsuback', packetId: pid }, timeout);
      h.push({ k: 'unsubscribe', t, t1: now(), conn: c.conn, filters: [f] });
    } catch {
      notes.push(`${c.name}: no UNSUBACK`);
    }
  };

  const disconnect = async (c: ClientState, abrupt: boolean): Promise<void> => {
    const tc = c.tc!;
    if (abrupt) {
      if (c.ackTimer) clearTimeout(c.ackTimer);
      c.ackTimer = undefined;
      c.ackQueue = [];
      h.push({ k: 'disconnect', t: now(), conn: c.conn, abrupt: true });
      tc.destroy();
    } else {
      flushAcks(c);
      h.push({ k: 'disconnect', t: now(), conn: c.conn, abrupt: false });
      tc.send(v5 ? { type: 'disconnect', reasonCode: 0 } : { type: 'disconnect' });
      await tc.close(timeout);
    }
    c.out.forEach((w) => w.resolve());
    c.out.clear();
  };

  try {
    for (const s of p.steps) {
      stepNo++;
      if (trouble) break;
      if (s.k === 'pause') {
        await sleep(s.ms);
        continue;
      }
      const c = clients[s.c];
      if (s.k === 'connect') {
        // A connect step on a connected client reconnects it: normal DISCONNECT first.
        if (connected(c)) await disconnect(c, false);
        await connect(c, s);
        continue;
      }
      if (!connected(c)) {
        if (s.k === 'disconnect') {
          notes.push(`skipped: ${c.name} not connected`);
          continue;
        }
        await connect(c, IMPLICIT_CONNECT(s.c));
        if (!connected(c)) continue;
      }
      if (s.k === 'publish') await publish(c, s);
      else if (s.k === 'subscribe') await subscribe(c, s);
      else if (s.k === 'unsubscribe') await unsubscribe(c, s);
      else await disconnect(c, s.abrupt);
    }
    // Settle: wait (bounded) for everything the model says is still owed, then a quiet spell.
    const version = p.version;
    const quiet = o.settleMs ?? 600;
    const cap = now() + 30_000;
    let seen = h.length;
    let lastProgress = now();
    for (;;) {
      for (const c of clients) noteClosed(c);
      if (h.length !== seen) {
        seen = h.length;
        lastProgress = now();
      }
      if (owedCount(h, { version }, now()) === 0 || now() - lastProgress > quiet || now() > cap) break;
      await sleep(h.length > 2000 ? 25 : 5);
    }
    await sleep(o.quietMs ?? 15);
    for (const c of clients) noteClosed(c);
    h.push({ k: 'end', t: now(), settled: true });
    finished = true;
  } catch (e) {
    trouble = (e as Error).message;
  } finally {
    finished = true;
    for (const c of clients) {
      if (c.ackTimer) clearTimeout(c.ackTimer);
      c.tc?.destroy();
    }
  }
  return { history: h, trace, notes, msgStep, prefix: o.prefix, ...(trouble ? { harnessTrouble: trouble } : {}) };
}
