/**
 * Depth steps (features/depth, and the Gherkin the explorer prints): bursts of messages sent
 * without waiting, many subscriptions at once, exact accounting of what arrives. Topics may
 * hold `{i}` (message / filter number, 1-based); payloads are "<prefix><i>".
 * Clients are the World's named clients; acknowledgements are handled here, bounded in time.
 */
import { Given, Then, When } from '@cucumber/cucumber';
import { ExpectationError } from '../src/client/index.ts';
import type { Packet, PublishPacket, QoS, SubackPacket } from '../src/codec/index.ts';
import type { ConformanceWorld as W } from './support/world.ts';
import { re } from './support/parse.ts';
import { CLIENT, WITHIN, type Duration } from './support/parameter-types.ts';
import { grantNeeds, type Grant } from './support/capability-guard.ts';
import { topicMatches } from '../src/codec/index.ts';

interface Tally {
  sent: number;
  acked: number;
  refused: number;
}
const tallies = new WeakMap<W, Map<string, Tally>>();
const nextPid = new WeakMap<W, Map<string, number>>();

const expand = (t: string, i: number): string => t.replaceAll('{i}', String(i));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function pidFor(w: W, name: string, inUse: { has(id: number): boolean }, start?: number): number {
  const m = nextPid.get(w) ?? new Map<string, number>();
  nextPid.set(w, m);
  let id = start ?? m.get(name) ?? 1000;
  for (let k = 0; k < 65535 && inUse.has(id); k++) id = id >= 65535 ? 1 : id + 1;
  m.set(name, id >= 65535 ? 1 : id + 1);
  return id;
}

/** Runs `fn` with every packet of `name` first offered to `claim`; restores the previous hook. */
async function claiming<T>(w: W, name: string, claim: (p: Packet) => boolean, fn: () => Promise<T>): Promise<T> {
  const c = w.client(name);
  const prev = c.onPacket;
  c.onPacket = (p) => claim(p) || (prev?.(p) ?? false);
  try {
    return await fn();
  } finally {
    c.onPacket = prev;
  }
}

async function burst(
  w: W,
  name: string,
  n: number,
  prefix: string,
  topic: string,
  qos: QoS,
  retain: boolean,
  firstPid?: number,
): Promise<void> {
  if (qos === 1 && w.requireCapability('qos1')) return;
  if (qos === 2 && w.requireCapability('qos2')) return;
  if (retain && w.requireCapability('retain')) return;
  const c = w.client(name);
  const window = w.capabilitiesAt(c.protocolLevel)?.receiveMaximum ?? 65535;
  const tally: Tally = { sent: 0, acked: 0, refused: 0 };
  const tmap = tallies.get(w) ?? new Map<string, Tally>();
  tallies.set(w, tmap);
  tmap.set(name, tally);
  const out = new Map<number, () => void>();
  let wake: (() => void) | undefined;
  const done = (pid: number, refused: boolean): void => {
    const r = out.get(pid);
    if (!r) return;
    out.delete(pid);
    if (refused) tally.refused++;
    else tally.acked++;
    r();
    wake?.();
  };
  const claim = (p: Packet): boolean => {
    if (p.type === 'puback' || p.type === 'pubcomp') {
      if (!out.has(p.packetId)) return false;
      done(p.packetId, (p.reasonCode ?? 0) >= 0x80);
      return true;
    }
    if (p.type === 'pubrec') {
      if (!out.has(p.packetId)) return false;
      if ((p.reasonCode ?? 0) >= 0x80) done(p.packetId, true);
      else c.send({ type: 'pubrel', packetId: p.packetId });
      return true;
    }
    return false;
  };
  const deadline = performance.now() + w.ms(10_000 + n * 2);
  await claiming(w, name, claim, async () => {
    let pid = firstPid;
    for (let i = 1; i <= n; i++) {
      while (out.size >= window) {
        if (performance.now() > deadline || c.closed) return; // judged by "the broker acknowledged all …"

        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 50);
        });
      }
      const t = w.topic(expand(topic, i));
      if (retain) (w as unknown as { retainedTopics: Set<string> }).retainedTopics.add(t);
      const p: PublishPacket = {
        type: 'publish',
        topic: t,
        payload: Buffer.from(`${prefix}${i}`),
        qos,
        retain,
        dup: false,
      };
      if (qos > 0) {
        p.packetId = pidFor(w, name, out, pid);
        pid = undefined;
        out.set(p.packetId, () => undefined);
      }
      c.send(p);
      tally.sent++;
    }
    if (qos === 0) {
      c.send({ type: 'pingreq' });
      await c.expect({ type: 'pingresp' }, w.waitMs);
      tally.acked = n;
      return;
    }
    while (out.size > 0 && performance.now() < deadline && !c.closed) await sleep(5);
  });
  // Missing acknowledgements are judged by the step "the broker acknowledged all N messages of …".
}

When(
  re(
    `${CLIENT} publishes (\\d+) messages "([^"]*)" to "([^"]*)"(?: with qos ([012]))?( retained)? without waiting(?:, packet ids from (\\d+))?`,
  ),
  { timeout: 120_000 },
  function (
    this: W,
    name: string,
    n: string,
    prefix: string,
    topic: string,
    qos?: string,
    retained?: string,
    first?: string,
  ) {
    return burst(
      this,
      name,
      Number(n),
      prefix,
      topic,
      Number(qos ?? 0) as QoS,
      retained != null,
      first ? Number(first) : undefined,
    );
  },
);

Then(re(`the broker acknowledged all (\\d+) messages of ${CLIENT}`), function (this: W, n: string, name: string) {
  const t = tallies.get(this)?.get(name);
  if (!t) throw new Error(`"${name}" has not published a burst in this scenario`);
  if (t.sent !== Number(n) || t.acked !== Number(n)) {
    throw new ExpectationError(
      `${name}: sent ${t.sent}, acknowledged ${t.acked}, refused ${t.refused}; expected all ${n} acknowledged`,
    );
  }
});

/**
 * Acknowledges and counts the messages "<prefix><i>" (i = 1..n) that reach `name` on `topic`,
 * from the moment it is installed until the scenario ends (so a broker's in-flight window to
 * the subscriber keeps moving while a burst is being published).
 */
class Collector {
  readonly seen: Uint8Array;
  count = 0;
  lastIndex = 0;
  outOfOrder: string[] = [];
  readonly byQos = [0, 0, 0];
  problems: string[] = [];
  private readonly inQos2 = new Set<number>();
  constructor(
    private readonly w: W,
    private readonly name: string,
    readonly prefix: string,
    private readonly topic: string,
    readonly n: number,
  ) {
    this.seen = new Uint8Array(n + 1);
    const c = w.client(name);
    for (let k = 0; k < c.inbox.length;) {
      const p = c.inbox[k];
      const i = p.type === 'publish' ? this.index(p) : undefined;
      if (i !== undefined) {
        c.inbox.splice(k, 1);
        this.take(p as PublishPacket, i);
      } else k++;
    }
    const prev = c.onPacket;
    c.onPacket = (p) => this.claim(p) || (prev?.(p) ?? false);
  }
  private index(p: PublishPacket): number | undefined {
    const s = p.payload.toString();
    if (!s.startsWith(this.prefix)) return undefined;
    const i = Number(s.slice(this.prefix.length));
    if (!Number.isInteger(i) || i < 1 || i > this.n || p.topic !== this.w.topic(expand(this.topic, i)))
      return undefined;
    return i;
  }
  private claim(p: Packet): boolean {
    const c = this.w.client(this.name);
    if (p.type === 'pubrel' && this.inQos2.has(p.packetId)) {
      this.inQos2.delete(p.packetId);
      c.send({ type: 'pubcomp', packetId: p.packetId });
      return true;
    }
    if (p.type !== 'publish') return false;
    const i = this.index(p);
    if (i === undefined) return false;
    this.take(p, i);
    return true;
  }
  private take(p: PublishPacket, i: number): void {
    const c = this.w.client(this.name);
    if (p.qos === 1) c.send({ type: 'puback', packetId: p.packetId! });
    if (p.qos === 2) {
      this.inQos2.add(p.packetId!);
      c.send({ type: 'pubrec', packetId: p.packetId! });
    }
    if (this.seen[i]) {
      if (!p.dup && this.problems.length < 10)
        this.problems.push(`message ${this.prefix}${i} arrived twice (second copy without DUP)`);
      return;
    }
    this.seen[i] = 1;
    this.count++;
    this.byQos[p.qos]++;
    if (i < this.lastIndex && this.outOfOrder.length < 10)
      this.outOfOrder.push(`message ${this.prefix}${i} arrived after ${this.prefix}${this.lastIndex}`);
    this.lastIndex = Math.max(this.lastIndex, i);
  }
  get qos2Pending(): number {
    return this.inQos2.size;
  }
}
const collectors = new WeakMap<W, Map<string, Collector>>();
const collectorKey = (name: string, prefix: string, topic: string): string => `${name}|${prefix}|${topic}`;
function collector(w: W, name: string, prefix: string, topic: string, n: number): Collector {
  const m = collectors.get(w) ?? new Map<string, Collector>();
  collectors.set(w, m);
  const k = collectorKey(name, prefix, topic);
  let c = m.get(k);
  if (!c || c.n < n) {
    c = new Collector(w, name, prefix, topic, n);
    m.set(k, c);
  }
  return c;
}

Given(
  re(`${CLIENT} acknowledges and counts up to (\\d+) messages "([^"]*)" on "([^"]*)"`),
  function (this: W, name: string, n: string, prefix: string, topic: string) {
    collector(this, name, prefix, topic, Number(n));
  },
);

Then(
  re(
    `${CLIENT} receives exactly the (\\d+) messages "([^"]*)" on "([^"]*)"(?: with qos ([012]))?( in order)?${WITHIN}`,
  ),
  { timeout: 180_000 },
  async function (
    this: W,
    name: string,
    nText: string,
    prefix: string,
    topic: string,
    qosText?: string,
    inOrder?: string,
    d?: Duration,
  ) {
    const n = Number(nText);
    const c = this.client(name);
    if (qosText !== undefined) {
      // A broker may grant less than was asked (3.1.1 cannot declare its maximum QoS): then the
      // scenario's expectation does not apply, as for the suite's other receive steps.
      const grants = (this as unknown as { grants: Map<string, Grant[]> }).grants.get(name) ?? [];
      const why = grantNeeds(grants, this.topic(expand(topic, 1)), Number(qosText), topicMatches);
      if (why) return this.notApplicable(why);
    }
    const col = collector(this, name, prefix, topic, n);
    const limit = d?.ms ?? this.ms(10_000);
    const deadline = performance.now() + limit;
    // Stop early once nothing has arrived for 5 s (scaled): the rest is not coming.
    const stall = this.ms(5000);
    let last = col.count;
    let lastAt = performance.now();
    while (col.count < n && performance.now() < deadline && !c.closed) {
      await sleep(10);
      if (col.count !== last) {
        last = col.count;
        lastAt = performance.now();
      } else if (performance.now() - lastAt > stall) break;
    }
    const settle = performance.now() + 50;
    while (col.qos2Pending > 0 && performance.now() < settle) await sleep(5);
    const problems = [...col.problems, ...(inOrder ? col.outOfOrder : [])];
    const want = qosText === undefined ? undefined : Number(qosText);
    if (want !== undefined)
      col.byQos.forEach((k, q) => {
        if (q !== want && k > 0) problems.push(`${k} message(s) came at QoS ${q}, expected ${want}`);
      });
    if (col.count < n || problems.length > 0) {
      const missing: string[] = [];
      for (let i = 1; i <= n && missing.length < 10; i++) if (!col.seen[i]) missing.push(`${prefix}${i}`);
      throw new ExpectationError(
        `${name}: received ${col.count} of the ${n} messages "${prefix}1".."${prefix}${n}" on "${topic}"${col.count < n ? ` within ${limit} ms; missing ${missing.join(', ')}${n - col.count > missing.length ? ', …' : ''}` : ''}${problems.length ? `; ${problems.join('; ')}` : ''}${c.closed ? ' (the connection closed)' : ''}`,
      );
    }
    return undefined;
  },
);

When(
  re(`${CLIENT} subscribes to (\\d+) topic filters "([^"]*)"(?: with qos ([012]))?`),
  { timeout: 60_000 },
  async function (this: W, name: string, nText: string, filter: string, qosText?: string) {
    const n = Number(nText);
    const qos = Number(qosText ?? 0) as QoS;
    if (/[#+]/.test(filter) && this.requireCapability('wildcardSubscriptions')) return 'skipped';
    const c = this.client(name);
    const pending = new Set<number>();
    const refused: string[] = [];
    let granted = 0;
    const claim = (p: Packet): boolean => {
      if (p.type !== 'suback' || !pending.has(p.packetId)) return false;
      pending.delete(p.packetId);
      const code = (p as SubackPacket).reasonCodes[0];
      if (code === undefined || code >= 0x80) refused.push(`packet id ${p.packetId}: 0x${(code ?? 0).toString(16)}`);
      else granted++;
      return true;
    };
    await claiming(this, name, claim, async () => {
      for (let i = 1; i <= n; i++) {
        const id = pidFor(this, name, pending);
        pending.add(id);
        c.send({
          type: 'subscribe',
          packetId: id,
          subscriptions: [{ topicFilter: this.topicFilter(expand(filter, i)), qos }],
        });
      }
      const deadline = performance.now() + this.ms(10_000);
      while (pending.size > 0 && performance.now() < deadline && !c.closed) await sleep(5);
    });
    if (granted !== n) {
      throw new ExpectationError(
        `${name}: ${granted} of ${n} subscriptions granted; ${refused.length} refused${refused.length ? ` (${refused.slice(0, 5).join(', ')})` : ''}; ${pending.size} SUBACKs missing`,
      );
    }
    return undefined;
  },
);

const bigPayload = (n: number): Buffer => {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + 7) & 0xff;
  return b;
};

When(
  re(
    `${CLIENT} publishes a payload of (\\d+) bytes to "([^"]*)" with qos ([012]), if the broker allows packets that large`,
  ),
  { timeout: 120_000 },
  async function (this: W, name: string, nText: string, topic: string, qosText: string) {
    const n = Number(nText);
    const c = this.client(name);
    const caps = this.capabilitiesAt(c.protocolLevel);
    const max = caps?.maximumPacketSize;
    if (max !== undefined && max < n + 64)
      return this.notApplicable(`the broker's Maximum Packet Size is ${max} bytes, below a ${n}-byte payload`);
    const qos = Number(qosText) as QoS;
    const id = 4242;
    c.send({
      type: 'publish',
      topic: this.topic(topic),
      payload: bigPayload(n),
      qos,
      retain: false,
      dup: false,
      ...(qos > 0 ? { packetId: id } : {}),
    });
    if (qos === 1) {
      let ack: Packet & { reasonCode?: number };
      try {
        ack = (await c.expectAny([{ type: 'puback', packetId: id }], this.ms(30_000))) as Packet & {
          reasonCode?: number;
        };
      } catch (e) {
        // A broker may limit packet sizes; at 3.1.1 it cannot declare it, and closing is its answer.
        if (c.closed && !c.closeInfo?.byUs)
          return this.notApplicable(
            `the broker closed the connection on a ${n}-byte PUBLISH (a packet size limit it could not declare at MQTT ${this.version})`,
          );
        throw e;
      }
      if ((ack.reasonCode ?? 0) >= 0x80)
        return this.notApplicable(
          `the broker refused a ${n}-byte PUBLISH with reason 0x${(ack.reasonCode ?? 0).toString(16)}`,
        );
    }
    return undefined;
  },
);

Then(
  re(`${CLIENT} receives the (\\d+)-byte payload on "([^"]*)" intact${WITHIN}`),
  { timeout: 120_000 },
  async function (this: W, name: string, nText: string, topic: string, d?: Duration) {
    const c = this.client(name);
    const p = (await c.expect(
      { type: 'publish', topic: this.topic(topic) },
      d?.ms ?? this.ms(30_000),
    )) as PublishPacket;
    if (p.qos === 1) c.send({ type: 'puback', packetId: p.packetId! });
    const want = bigPayload(Number(nText));
    if (!p.payload.equals(want)) {
      let at = 0;
      while (at < Math.min(p.payload.length, want.length) && p.payload[at] === want[at]) at++;
      throw new ExpectationError(
        `${name}: the ${nText}-byte payload arrived as ${p.payload.length} bytes, first difference at byte ${at}`,
      );
    }
  },
);
