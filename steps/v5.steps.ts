import { Given, Then, When } from '@cucumber/cucumber';
import { ExpectationError, describePacket, type TraceEntry } from '../src/client/index.ts';
import type { ConnackPacket, Packet, PublishPacket, QoS, SubackPacket } from '../src/codec/index.ts';
import type { ConformanceWorld as W } from './support/world.ts';
import { CODE, PACKET, re, toCode } from './support/parse.ts';
import { CLIENT, DURATION, WITHIN, type Duration } from './support/parameter-types.ts';
import { encodePacket } from '../src/codec/index.ts';
import { parsePacketSpec } from '../src/client/index.ts';

/**
 * Steps for the MQTT 5.0 features (topic aliases, message expiry, flow control, packet size,
 * properties, subscription options, CONNACK capabilities). Each is a thin wrapper; the small
 * helpers below read what a client received from the scenario's packet trace. (Candidates
 * for World methods.)
 */

/** Every packet `name` received so far, in arrival order, with its wire size. */
function received(w: W, name: string): Array<{ packet: Packet; bytes: number }> {
  return w.trace.entries
    .filter((e: TraceEntry) => e.client === name && e.direction === 'received' && e.packet !== undefined)
    .map((e) => ({ packet: e.packet!, bytes: e.hex ? e.hex.length / 2 : 0 }));
}

function receivedPublishes(w: W, name: string): PublishPacket[] {
  return received(w, name)
    .map((r) => r.packet)
    .filter((p): p is PublishPacket => p.type === 'publish');
}

/** The last CONNACK `name` received. */
function connackOf(w: W, name: string): ConnackPacket {
  const ack = received(w, name)
    .map((r) => r.packet)
    .reverse()
    .find((p): p is ConnackPacket => p.type === 'connack');
  if (!ack) throw new Error(`"${name}" has received no CONNACK in this scenario`);
  return ack;
}

/** What the broker's 5.0 CONNACK (capability probe) declared; 'skipped' when the scenario does not apply. */
function requireDeclared(w: W, what: string): 'skipped' | undefined {
  const caps = w.run.capabilities?.['5.0'];
  if (!caps) return w.notApplicable(`capability discovery is off, so "${what}" cannot be checked`);
  if (!caps.supported)
    return w.notApplicable(`the target did not accept MQTT 5.0${caps.error ? ` (${caps.error})` : ''}`);
  const ok: Record<string, boolean> = {
    'a maximum QoS below 2': caps.maximumQoS < 2,
    'a maximum QoS of 0': caps.maximumQoS === 0,
    'retain available 0': !caps.retainAvailable,
    'wildcard subscription available 0': !caps.wildcardSubscriptions,
    'shared subscription available 0': !caps.sharedSubscriptions,
    'subscription identifier available 0': !caps.subscriptionIdentifiers,
    'a maximum packet size': caps.maximumPacketSize !== undefined,
    'no topic alias maximum': caps.topicAliasMaximum === 0,
    'a receive maximum below 65535': caps.receiveMaximum < 65535,
  };
  if (!(what in ok)) throw new Error(`unknown CONNACK declaration "${what}" (known: ${Object.keys(ok).join('; ')})`);
  return ok[what] ? undefined : w.notApplicable(`the broker's CONNACK does not declare ${what}`);
}

const DECLARED =
  '(a maximum QoS below 2|a maximum QoS of 0|retain available 0|wildcard subscription available 0|shared subscription available 0|subscription identifier available 0|a maximum packet size|no topic alias maximum|a receive maximum below 65535)';

Given(re(`the broker's CONNACK declares ${DECLARED}`), function (this: W, what: string) {
  return requireDeclared(this, what);
});

// ---- packet size ----

Then(re(`no packet ${CLIENT} received was larger than (\\d+) bytes`), function (this: W, name: string, n: string) {
  const big = received(this, name).filter((r) => r.bytes > Number(n));
  if (big.length > 0) {
    throw new ExpectationError(
      `${name} received ${big.map((r) => `${describePacket(r.packet)} (${r.bytes} bytes)`).join('; ')}; its Maximum Packet Size was ${n}`,
    );
  }
});

// ---- topic aliases (server -> client) ----

Then(
  re(`no PUBLISH ${CLIENT} received( since its last CONNACK)? had a topic alias`),
  function (this: W, name: string, since?: string) {
    let all = received(this, name).map((r) => r.packet);
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

/**
 * Every PUBLISH `name` received used topic aliases 1..max, and resolving them (new mapping when
 * a topic is given, lookup when it is empty) gives topic `topic` for every listed payload.
 */
function checkAliases(w: W, name: string, max: number, payloads: string[], topic: string): void {
  const map = new Map<number, string>();
  const got = new Map<string, string>();
  for (const r of received(w, name)) {
    if (r.packet.type === 'connack') map.clear(); // a new connection starts without mappings (3.3.2-7)
    if (r.packet.type !== 'publish') continue;
    const p = r.packet;
    const alias = p.properties?.topicAlias;
    let t = p.topic;
    if (alias !== undefined) {
      if (alias < 1 || alias > max)
        throw new ExpectationError(`${name} allowed topic aliases up to ${max} but received ${describePacket(p)}`);
      if (t === '') {
        const m = map.get(alias);
        if (m === undefined)
          throw new ExpectationError(
            `${name} received ${describePacket(p)}: topic alias ${alias} was never mapped on this connection`,
          );
        t = m;
      } else map.set(alias, t);
    } else if (t === '')
      throw new ExpectationError(`${name} received a PUBLISH with an empty topic and no topic alias`);
    got.set(p.payload.toString(), t);
  }
  const want = w.topic(topic);
  for (const pl of payloads) {
    const t = got.get(pl);
    if (t === undefined) throw new ExpectationError(`${name} did not receive "${pl}"`);
    if (t !== want)
      throw new ExpectationError(
        `${name} received "${pl}" on topic "${t}" after resolving topic aliases; expected "${want}"`,
      );
  }
}

const list = (s: string): string[] => [...s.matchAll(/"([^"]*)"/g)].map((m) => m[1]);

Then(
  re(`${CLIENT} received ((?:"[^"]*"(?:, | and )?)+) on "([^"]*)" using topic aliases of at most (\\d+)`),
  function (this: W, name: string, payloads: string, topic: string, max: string) {
    checkAliases(this, name, Number(max), list(payloads), topic);
  },
);

When(
  re(`${CLIENT} sends with topic alias (the broker's maximum|one above the broker's maximum) ${PACKET}`),
  function (this: W, name: string, which: string, spec: string) {
    const max = connackOf(this, name).properties?.topicAliasMaximum ?? 0;
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
    for (const f of list(filters)) await this.subscribe(name, f, Number(qos ?? 0) as QoS);
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

function publishWithPayload(w: W, name: string, payload: string): PublishPacket {
  const p = receivedPublishes(w, name)
    .reverse()
    .find((x) => x.payload.toString() === payload);
  if (!p) throw new Error(`"${name}" has received no PUBLISH with payload "${payload}"`);
  if (p.packetId === undefined)
    throw new Error(`the PUBLISH "${payload}" that "${name}" received is QoS 0; there is nothing to acknowledge`);
  return p;
}

When(
  re(`${CLIENT} answers the PUBLISH "([^"]*)" with (PUBACK|PUBREC|PUBCOMP)(?: reason code ${CODE})?`),
  function (this: W, name: string, payload: string, type: string, code?: string) {
    const p = publishWithPayload(this, name, payload);
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

/** Packets received on the current connection (after its last CONNACK). */
function sinceConnack(w: W, name: string): Packet[] {
  const all = received(w, name).map((r) => r.packet);
  return all.slice(all.map((p) => p.type).lastIndexOf('connack') + 1);
}

// `exactly N` where the spec fixes the count; `at most N` where it only bounds it (a broker may
// keep fewer messages in flight than the client's Receive Maximum allows).
Then(
  re(`after ${DURATION} ${CLIENT} has received (exactly|at most) (\\d+) PUBLISH(?:es)? on this connection`),
  async function (this: W, d: Duration, name: string, how: string, n: string) {
    await new Promise((r) => setTimeout(r, d.ms));
    const got = sinceConnack(this, name).filter((p): p is PublishPacket => p.type === 'publish');
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
    const p = received(this, name)
      .map((r) => r.packet)
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
    const bad = received(this, name)
      .map((r) => r.packet)
      .filter((x) => {
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
  const bad = received(this, name)
    .map((r) => r.packet)
    .filter((x) => x.type === 'disconnect' && x.properties?.sessionExpiryInterval !== undefined);
  if (bad.length > 0)
    throw new ExpectationError(
      `${name} received ${bad.map(describePacket).join('; ')}: a server DISCONNECT must not carry a Session Expiry Interval`,
    );
});

// ---- CONNACK: assigned client identifiers, keep alive, maximum QoS ----

/** The Assigned Client Identifier `name` got; not applicable when the broker refused the empty id (0x85 is allowed). */
function assignedId(w: W, name: string): string | 'skipped' {
  const ack = connackOf(w, name);
  if (ack.reasonCode === 0x85)
    return w.notApplicable('the broker does not accept an empty client identifier (CONNACK 0x85), which it may refuse');
  const id = ack.properties?.assignedClientIdentifier;
  if (ack.reasonCode !== 0 || id === undefined)
    throw new ExpectationError(
      `${name} connected with an empty client identifier but got ${describePacket(ack)}; expected an Assigned Client Identifier`,
    );
  return id;
}

Then(re(`the client identifiers assigned to ${CLIENT} and ${CLIENT} differ`), function (this: W, a: string, b: string) {
  const ia = assignedId(this, a);
  const ib = assignedId(this, b);
  if (ia === 'skipped' || ib === 'skipped') return 'skipped';
  if (ia === ib) throw new ExpectationError(`both clients were assigned the client identifier "${ia}"`);
  return undefined;
});

When(
  re(`${CLIENT} connects using the client identifier (assigned to|of) ${CLIENT}(?:, with (.+))?`),
  async function (this: W, name: string, how: string, other: string, spec?: string) {
    const id = how === 'of' ? this.clientIdOf(other) : assignedId(this, other);
    if (id === 'skipped') return 'skipped';
    await this.sendConnect(name, { spec: `exact client id ${JSON.stringify(id)}${spec ? ` and ${spec}` : ''}` });
    return undefined;
  },
);

Given(re(`the CONNACK ${CLIENT} received has no server keep alive`), function (this: W, name: string) {
  const k = connackOf(this, name).properties?.serverKeepAlive;
  return k === undefined
    ? undefined
    : this.notApplicable(
        `the broker set Server Keep Alive ${k}, so the client's own Keep Alive is not the one in force`,
      );
});

const maxQos = (w: W, name: string): QoS => (connackOf(w, name).properties?.maximumQoS ?? 2) as QoS;

When(
  re(`${CLIENT} publishes "([^"]*)" to "([^"]*)" at the broker's maximum QoS`),
  function (this: W, name: string, payload: string, topic: string) {
    return this.publish(name, topic, payload, maxQos(this, name), false);
  },
);

Then(
  re(`${CLIENT} is granted QoS 0, 1 and 2 at most, within the broker's maximum QoS, for packet id (\\d+)${WITHIN}`),
  async function (this: W, name: string, id: string, d?: Duration) {
    const m = maxQos(this, name);
    const ack = (await this.receive(
      name,
      { type: 'suback', packetId: Number(id) },
      d?.ms ?? this.waitMs,
    )) as SubackPacket;
    const ok = ack.reasonCodes.length === 3 && ack.reasonCodes.every((rc, q) => rc <= Math.min(q, m));
    if (!ok)
      throw new ExpectationError(
        `${name}: expected three granted QoS values, each at most the requested QoS and at most the maximum QoS ${m}; got ${describePacket(ack)}`,
      );
  },
);

// ---- packet size towards the broker ----

When(
  re(`${CLIENT} sends a PUBLISH to "([^"]*)" one byte larger than the broker's Maximum Packet Size`),
  function (this: W, name: string, topic: string) {
    const max = connackOf(this, name).properties?.maximumPacketSize;
    if (max === undefined)
      throw new Error(
        'the broker declared no Maximum Packet Size; gate the scenario with "the broker\'s CONNACK declares a maximum packet size"',
      );
    const base = { type: 'publish' as const, topic: this.topic(topic), qos: 0 as QoS, retain: false, dup: false };
    const overhead = encodePacket({ ...base, payload: Buffer.alloc(0) }, 5).length;
    // The remaining-length field may grow by a byte as the payload grows; trim until the total is max + 1.
    let payload = Buffer.alloc(Math.max(0, max + 1 - overhead), 0x61);
    while (encodePacket({ ...base, payload }, 5).length > max + 1) payload = payload.subarray(1);
    this.client(name).sendRaw(encodePacket({ ...base, payload }, 5));
  },
);

// ---- flow control towards the broker ----

When(
  re(`${CLIENT} sends one QoS 2 PUBLISH to "([^"]*)" more than the broker's Receive Maximum, without PUBREL`),
  function (this: W, name: string, topic: string) {
    const ack = connackOf(this, name);
    if ((ack.properties?.maximumQoS ?? 2) < 2)
      return this.notApplicable(
        'the broker does not take QoS 2, so a client cannot hold PUBLISHes unacknowledged at it',
      );
    const max = ack.properties?.receiveMaximum ?? 65535;
    if (max >= 65535)
      throw new Error(
        'the broker allows 65535 unacknowledged PUBLISHes, which no client can exceed; gate the scenario with "the broker\'s CONNACK declares a receive maximum below 65535"',
      );
    const t = this.topic(topic);
    const frames: Buffer[] = [];
    for (let id = 1; id <= max + 1; id++) {
      frames.push(
        encodePacket(
          {
            type: 'publish',
            topic: t,
            payload: Buffer.from(String(id)),
            qos: 2,
            packetId: id,
            retain: false,
            dup: false,
          },
          5,
        ),
      );
    }
    this.client(name).sendRaw(Buffer.concat(frames));
    return undefined;
  },
);

/**
 * The broker answers a PUBLISH whose payload contradicts its Payload Format Indicator: a PUBACK /
 * PUBREC (reason code 0x99 or any other), or — equally legal (MQTT 5.0 3.3.2.3.2, 4.13) — a
 * DISCONNECT 0x99 and the close. The close leaves nothing to check about the PUBACK / PUBREC, so
 * the scenario is then not applicable.
 */
Then(
  re(
    `the broker answers ${CLIENT} with ${PACKET}${WITHIN}, or closes the connection and the scenario is not applicable`,
  ),
  async function (this: W, name: string, spec: string, d?: Duration) {
    const c = this.client(name);
    try {
      await this.receive(name, spec, d?.ms ?? this.waitMs);
    } catch (e) {
      if (!c.closed) throw e;
      const disc = c.inbox.find((p) => p.type === 'disconnect');
      return this.notApplicable(
        `the broker closed the connection${disc ? ` after ${describePacket(disc)}` : ''} instead of answering with ${spec.split(' ')[0]}, which it may`,
      );
    }
    return undefined;
  },
);
