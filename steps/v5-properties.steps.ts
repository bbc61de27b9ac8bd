import { Given, Then, When } from '@cucumber/cucumber';
import { ExpectationError, describePacket } from '../src/client/index.ts';
import type { ConnackPacket, PublishPacket, QoS } from '../src/codec/index.ts';
import type { ConformanceWorld as W } from './support/world.ts';
import { CODE, PACKET, quotedList, re, toCode } from './support/parse.ts';
import { CLIENT, DURATION, WITHIN, type Duration } from './support/parameter-types.ts';
import { parsePacketSpec } from '../src/client/index.ts';

/**
 * Steps for MQTT 5.0 properties of what a client receives and sends: topic aliases, message
 * expiry, subscription identifiers, properties that must be absent, flow control by withheld
 * acknowledgements. Each step is a thin wrapper on the World (support/world-history.ts reads
 * what a client received).
 */

// ---- topic aliases (server -> client) ----

Then(
  re(`no PUBLISH ${CLIENT} received( since its last CONNACK)? had a topic alias`),
  function (this: W, name: string, since?: string) {
    let all = this.receivedPackets(name);
    if (since) all = all.slice(all.map((p) => p.type).lastIndexOf('connack') + 1);
    const withAlias = all.filter(
      (p): p is PublishPacket => p.type === 'publish' && p.properties?.topicAlias !== undefined,
    );
    if (withAlias.length > 0)
      throw new ExpectationError(
        `${name} allowed no topic aliases but received ${withAlias.map(describePacket).join('; ')}`,
      );
  },
);

Then(
  re(`${CLIENT} received ((?:"[^"]*"(?:, | and )?)+) on "([^"]*)" using topic aliases of at most (\\d+)`),
  function (this: W, name: string, payloads: string, topic: string, max: string) {
    this.checkTopicAliases(name, Number(max), quotedList(payloads), topic);
  },
);

When(
  re(`${CLIENT} sends with topic alias (the broker's maximum|one above the broker's maximum) ${PACKET}`),
  function (this: W, name: string, which: string, spec: string) {
    const max = this.connackOf(name).properties?.topicAliasMaximum ?? 0;
    if (max === 0)
      throw new Error(
        `"${name}" got no Topic Alias Maximum in its CONNACK; start the scenario with "Given the broker supports topicAliases"`,
      );
    const p = parsePacketSpec(spec);
    p.properties = { ...(p.properties as object | undefined), topicAlias: which.startsWith('one') ? max + 1 : max };
    this.send(name, p);
  },
);

Given(
  re(`${CLIENT} subscribed to each of ((?:"[^"]*"(?:, | and )?)+?)(?: with qos ([012]))?`),
  async function (this: W, name: string, filters: string, qos?: string) {
    for (const f of quotedList(filters)) await this.subscribe(name, f, Number(qos ?? 0) as QoS);
  },
);

// ---- receiving with checks the packet grammar cannot express ----

Then(
  re(
    `${CLIENT} receives a PUBLISH on "([^"]*)" with payload "([^"]*)" and a message expiry interval between (\\d+) and (\\d+)${WITHIN}`,
  ),
  async function (this: W, name: string, topic: string, payload: string, lo: string, hi: string, d?: Duration) {
    const p = (await this.receive(name, { type: 'publish', topic, payload }, d?.ms ?? this.waitMs)) as PublishPacket;
    const e = p.properties?.messageExpiryInterval;
    if (e === undefined || e < Number(lo) || e > Number(hi)) {
      throw new ExpectationError(
        `${name}: expected a Message Expiry Interval between ${lo} and ${hi}, got ${describePacket(p)}`,
      );
    }
  },
);

Then(
  re(`${CLIENT} receives the message "([^"]*)" with subscription identifiers ((?:\\d+)(?:(?:, | and )\\d+)*)${WITHIN}`),
  async function (this: W, name: string, payload: string, ids: string, d?: Duration) {
    const want = ids
      .split(/, | and /)
      .map(Number)
      .sort((a, b) => a - b);
    const seen: number[] = [];
    const ms = d?.ms ?? this.waitMs;
    const c = this.client(name);
    // One PUBLISH with all identifiers (3.3.4-4), or one per subscription each with its own
    // (3.3.4-5); with one copy per subscription, the copy for a subscription without an identifier
    // carries none, so a copy without identifiers is passed over (if it was the only copy, the
    // identified ones never come and the step fails when the wait ends).
    while (seen.length < want.length) {
      const p = (await c.expect({ type: 'publish', payload }, ms)) as PublishPacket;
      const got = p.properties?.subscriptionIdentifiers ?? [];
      const extra = got.filter((x) => !want.includes(x) || seen.includes(x));
      if (extra.length > 0) {
        throw new ExpectationError(
          `${name}: expected "${payload}" with subscription identifiers ${want.join(', ')} (once each, in one or several PUBLISHes); got ${describePacket(p)} after ${seen.length ? seen.join(', ') : 'none'}`,
        );
      }
      seen.push(...got);
    }
  },
);

// ---- acknowledging what was received ----

When(
  re(`${CLIENT} answers the PUBLISH "([^"]*)" with (PUBACK|PUBREC|PUBCOMP)(?: reason code ${CODE})?`),
  function (this: W, name: string, payload: string, type: string, code?: string) {
    const p = this.publishWithPayload(name, payload);
    const t = type.toLowerCase() as 'puback' | 'pubrec' | 'pubcomp';
    this.client(name).send(
      code === undefined
        ? { type: t, packetId: p.packetId! }
        : { type: t, packetId: p.packetId!, reasonCode: toCode(code) },
    );
  },
);

// ---- publishing in bulk ----

When(
  re(`${CLIENT} publishes messages "([^"]*?)(\\d+)" to "([^"]*?)(\\d+)" to "([^"]*)" with qos ([012])`),
  async function (
    this: W,
    name: string,
    stem: string,
    from: string,
    stem2: string,
    to: string,
    topic: string,
    qos: string,
  ) {
    if (stem !== stem2)
      throw new Error(`message range "${stem}${from}" to "${stem2}${to}" must share its text before the number`);
    for (let i = Number(from); i <= Number(to); i++)
      await this.publish(name, topic, `${stem}${i}`, Number(qos) as QoS, false);
  },
);

// `exactly N` where the spec fixes the count; `at most N` where it only bounds it (a broker may
// keep fewer messages in flight than the client's Receive Maximum allows).
Then(
  re(`after ${DURATION} ${CLIENT} has received (exactly|at most) (\\d+) PUBLISH(?:es)? on this connection`),
  async function (this: W, d: Duration, name: string, how: string, n: string) {
    await new Promise((r) => setTimeout(r, d.ms));
    const got = this.receivedSinceConnack(name).filter((p): p is PublishPacket => p.type === 'publish');
    if (how === 'exactly' ? got.length !== Number(n) : got.length > Number(n)) {
      throw new ExpectationError(
        `${name} received ${got.length} PUBLISH packet(s) on this connection, expected ${how} ${n}: ${got.map(describePacket).join('; ') || 'none'}`,
      );
    }
  },
);

// ---- properties that must be absent ----

const ABSENT: Record<string, keyof NonNullable<ConnackPacket['properties']>> = {
  'reason string': 'reasonString',
  'user properties': 'userProperties',
  'response information': 'responseInformation',
  'authentication method': 'authenticationMethod',
  'authentication data': 'authenticationData',
  'server keep alive': 'serverKeepAlive',
  'session expiry interval': 'sessionExpiryInterval',
  'message expiry interval': 'messageExpiryInterval',
  'subscription identifiers': 'subscriptionIdentifiers',
  'topic alias': 'topicAlias',
};
const ABSENT_NAMES = Object.keys(ABSENT).join('|');

/** The last `type` packet `name` received has none of the named properties (a packet without properties passes). */
Then(
  re(
    `the last (CONNACK|PUBLISH|PUBACK|PUBREC|PUBREL|PUBCOMP|SUBACK|UNSUBACK|DISCONNECT|AUTH) ${CLIENT} received has no (${ABSENT_NAMES})(?: and no (${ABSENT_NAMES}))?`,
  ),
  function (this: W, type: string, name: string, a: string, b?: string) {
    const p = this.receivedPackets(name)
      .reverse()
      .find((x) => x.type === type.toLowerCase());
    if (!p) throw new ExpectationError(`${name} has received no ${type}`);
    const props = (p as { properties?: Record<string, unknown> }).properties ?? {};
    for (const n of [a, b]) {
      if (n !== undefined && props[ABSENT[n]] !== undefined)
        throw new ExpectationError(`${name}: expected no ${n} on ${describePacket(p)}`);
    }
  },
);

Then(
  re(
    `no (SUBACK|UNSUBACK|PUBACK|PUBREC|PUBREL|PUBCOMP|AUTH) ${CLIENT} received had a reason string or user properties`,
  ),
  function (this: W, type: string, name: string) {
    const bad = this.receivedPackets(name).filter((x) => {
      const pr = (x as { properties?: { reasonString?: string; userProperties?: unknown[] } }).properties;
      return x.type === type.toLowerCase() && (pr?.reasonString !== undefined || pr?.userProperties !== undefined);
    });
    if (bad.length > 0)
      throw new ExpectationError(
        `${name} asked for no problem information but received ${bad.map(describePacket).join('; ')}`,
      );
  },
);

Then(re(`no DISCONNECT ${CLIENT} received had a session expiry interval`), function (this: W, name: string) {
  const bad = this.receivedPackets(name).filter(
    (x) => x.type === 'disconnect' && x.properties?.sessionExpiryInterval !== undefined,
  );
  if (bad.length > 0)
    throw new ExpectationError(
      `${name} received ${bad.map(describePacket).join('; ')}: a server DISCONNECT must not carry a Session Expiry Interval`,
    );
});
