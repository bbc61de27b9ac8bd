import { Given, Then, When } from '@cucumber/cucumber';
import { ExpectationError, describePacket } from '../src/client/index.ts';
import type { QoS, SubackPacket } from '../src/codec/index.ts';
import { DECLARATIONS, type Declaration } from './support/world-history.ts';
import type { ConformanceWorld as W } from './support/world.ts';
import { PACKET, re } from './support/parse.ts';
import { CLIENT, WITHIN, type Duration } from './support/parameter-types.ts';
import { encodePacket } from '../src/codec/index.ts';

/**
 * Steps for what an MQTT 5.0 CONNACK declares and sets (capabilities, assigned client
 * identifiers, Server Keep Alive, Maximum QoS), and for the limits it declares towards the broker
 * (Maximum Packet Size, Receive Maximum). Properties of received packets: v5-properties.steps.ts.
 * Each step is a thin wrapper on the World (what a client received: support/world-history.ts).
 */

const DECLARED = `(${DECLARATIONS.join('|')})`;

Given(re(`the broker's CONNACK declares ${DECLARED}`), function (this: W, what: Declaration) {
  return this.requireDeclared(what);
});

// ---- packet size ----

Then(re(`no packet ${CLIENT} received was larger than (\\d+) bytes`), function (this: W, name: string, n: string) {
  const big = this.received(name).filter((r) => r.bytes > Number(n));
  if (big.length > 0) {
    throw new ExpectationError(
      `${name} received ${big.map((r) => `${describePacket(r.packet)} (${r.bytes} bytes)`).join('; ')}; its Maximum Packet Size was ${n}`,
    );
  }
});

// ---- CONNACK: assigned client identifiers, keep alive, maximum QoS ----

Then(re(`the client identifiers assigned to ${CLIENT} and ${CLIENT} differ`), function (this: W, a: string, b: string) {
  const ia = this.assignedIdOf(a);
  const ib = this.assignedIdOf(b);
  if (ia === 'skipped' || ib === 'skipped') return 'skipped';
  if (ia === ib) throw new ExpectationError(`both clients were assigned the client identifier "${ia}"`);
  return undefined;
});

When(
  re(`${CLIENT} connects using the client identifier (assigned to|of) ${CLIENT}(?:, with (.+))?`),
  async function (this: W, name: string, how: string, other: string, spec?: string) {
    const id = how === 'of' ? this.clientIdOf(other) : this.assignedIdOf(other);
    if (id === 'skipped') return 'skipped';
    await this.sendConnect(name, { spec: `exact client id ${JSON.stringify(id)}${spec ? ` and ${spec}` : ''}` });
    return undefined;
  },
);

Given(re(`the CONNACK ${CLIENT} received has no server keep alive`), function (this: W, name: string) {
  const k = this.connackOf(name).properties?.serverKeepAlive;
  return k === undefined
    ? undefined
    : this.notApplicable(
        `the broker set Server Keep Alive ${k}, so the client's own Keep Alive is not the one in force`,
      );
});

When(
  re(`${CLIENT} publishes "([^"]*)" to "([^"]*)" at the broker's maximum QoS`),
  function (this: W, name: string, payload: string, topic: string) {
    return this.publish(name, topic, payload, this.maxQosOf(name), false);
  },
);

Then(
  re(`${CLIENT} is granted QoS 0, 1 and 2 at most, within the broker's maximum QoS, for packet id (\\d+)${WITHIN}`),
  async function (this: W, name: string, id: string, d?: Duration) {
    const m = this.maxQosOf(name);
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
    const max = this.connackOf(name).properties?.maximumPacketSize;
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
    const ack = this.connackOf(name);
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
