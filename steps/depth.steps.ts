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
import { burst, claiming, expand, pidFor, sleep, tallies } from './support/depth-burst.ts';
import { collector } from './support/depth-collector.ts';

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
