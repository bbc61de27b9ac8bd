import { Given, Then, When } from '@cucumber/cucumber';
import { decodePacket, type Packet, type ProtocolLevel, type QoS } from '../src/codec/index.ts';
import { ExpectationError, describePacket } from '../src/client/index.ts';
import type { ConformanceWorld as W } from './support/world.ts';
import { CODES, re, toCodes } from './support/parse.ts';
import { CLIENT, WITHIN, type Duration } from './support/parameter-types.ts';

/**
 * Steps of the data-representation, error-handling, authorization and WebSocket features.
 * Thin wrappers over the World; preconditions read the run's target configuration.
 */

/** A deterministic ASCII payload of n bytes ("abcdefghij" repeated). */
const bytesOf = (n: number): string => 'abcdefghij'.repeat(Math.ceil(n / 10)).slice(0, n);
const qosOf = (q: string | undefined): QoS => (q === undefined ? 0 : (Number(q) as QoS));

When(
  re(`${CLIENT} publishes (\\d+) bytes to "([^"]*)"(?: with qos ([012]))?`),
  function (this: W, name: string, n: string, topic: string, qos?: string) {
    return this.publish(name, topic, bytesOf(Number(n)), qosOf(qos), false);
  },
);

Then(
  re(`${CLIENT} receives (\\d+) bytes on "([^"]*)"(?: with qos ([012]))?${WITHIN}`),
  function (this: W, name: string, n: string, topic: string, qos?: string, d?: Duration) {
    return this.receiveMessage(name, bytesOf(Number(n)), topic, qos === undefined ? undefined : qosOf(qos), d?.ms).then(
      () => undefined,
    );
  },
);

/** Counts the CONNACKs `name` received on its current and earlier connections in this scenario. */
Then(re(`${CLIENT} received exactly one CONNACK`), function (this: W, name: string) {
  const n = this.trace.entries.filter(
    (e) => e.client === name && e.direction === 'received' && e.packet?.type === 'connack',
  ).length;
  if (n !== 1) throw new ExpectationError(`${name} received ${n} CONNACK packets; expected exactly one`);
});

/**
 * A CONNECT with a protocol name or level the broker does not speak: the broker may answer with
 * a CONNACK refusing the version (return code 1 in the MQTT 3.1.1 form, 0x84 in the MQTT 5 form;
 * which form it picks for an unknown level is not pinned down), and must then close. A CONNACK
 * in the form the client's reader does not expect is accepted too (the client stops reading at
 * such a packet, so the close that follows cannot be observed then).
 */
Then(
  re(
    `the connection of ${CLIENT} is closed${WITHIN}, after a CONNACK refusing the protocol version if the broker sends one`,
  ),
  async function (this: W, name: string, d?: Duration) {
    const c = this.client(name);
    await this.closed(name, d?.ms);
    const refusal = (p: Packet, level: ProtocolLevel): boolean =>
      p.type === 'connack' && p.reasonCode === (level === 5 ? 0x84 : 0x01) && !p.sessionPresent;
    for (const v of c.unexpectedViolations()) {
      const other: ProtocolLevel = c.protocolLevel === 5 ? 4 : 5;
      const r = decodePacket(Buffer.from(v.hex, 'hex'), { protocolLevel: other, from: 'server' });
      if (r.ok && refusal(r.packet, other)) v.acknowledged = true;
    }
    for (const p of c.inbox.filter((x) => x.type === 'connack')) {
      if (!refusal(p, c.protocolLevel))
        throw new ExpectationError(
          `${name}: the broker answered ${describePacket(p)}; expected no CONNACK or one refusing the protocol version`,
        );
      c.inbox.splice(c.inbox.indexOf(p), 1);
    }
  },
);

/**
 * CONNACK success (with `either accepted, or`), or a refusal: a CONNACK with one of `codes` (Session Present 0) followed by
 * the close of the connection. With `if the broker sends one`, a close without any CONNACK is a
 * refusal too, where the refusing CONNACK is optional (MQTT 5.0 3.1.4-2 / 3.1.3-8 "MAY send";
 * MQTT 3.1.1 3.2.2.3 "SHOULD attempt to send"); statements about the refusing CONNACK are then
 * annotated `# checks if sent` and are not applicable when none came.
 */
Then(
  re(
    `${CLIENT} is (either accepted, or )?refused with reason code ${CODES}( if the broker sends one,)? and disconnected${WITHIN}`,
  ),
  async function (
    this: W,
    name: string,
    acceptable: string | undefined,
    codes: string,
    optional?: string,
    d?: Duration,
  ) {
    const ms = d?.ms ?? this.waitMs;
    const ack = await this.connackOrClose(name, ms, optional !== undefined, 'refusing CONNACK');
    if (!ack) return;
    if (ack.reasonCode === 0) {
      if (!acceptable) throw new ExpectationError(`${name}: accepted with ${describePacket(ack)}; expected a refusal`);
      this.account.optionalPacket(false, 'refusing CONNACK (the CONNECT was accepted)');
      return;
    }
    this.account.optionalPacket(true, 'refusing CONNACK');
    if (!toCodes(codes).includes(ack.reasonCode))
      throw new ExpectationError(`${name}: refused with ${describePacket(ack)}; expected reason code ${codes}`);
    if (ack.sessionPresent) throw new ExpectationError(`${name}: a refusing CONNACK has session present 1`);
    await this.closed(name, ms);
  },
);

/** Not applicable unless the broker accepts a CONNECT with an empty client id (probed on a connection of its own). */
Given(re(`the broker accepts an empty client id`), async function (this: W) {
  await this.sendConnect('empty-id probe', { spec: 'client id ""' });
  const ack = await this.receive('empty-id probe', { type: 'connack' });
  await this.disconnect('empty-id probe').catch(() => undefined);
  return ack.type === 'connack' && ack.reasonCode === 0
    ? undefined
    : this.notApplicable(`the broker refuses an empty client id (${describePacket(ack)}), which it may`);
});

// ---- authorization (features/authorization/README.md describes what the target must be) ----

const CONVENTION =
  'see features/authorization/README.md; the default embedded broker (scenarios/embedded/default.yaml) has both users';

Given(re(`the target checks the configured user's password`), function (this: W) {
  const c = this.run.config;
  return c.username !== undefined && c.password !== undefined
    ? undefined
    : this.notApplicable(
        `the scenario needs the target's user name and password (MQTT_USERNAME / MQTT_PASSWORD or user:pass@ in the URL); ${CONVENTION}`,
      );
});

Given(re(`the second user may only use topics under "open/"`), function (this: W) {
  const c = this.run.config;
  return c.username2 !== undefined && c.username !== undefined
    ? undefined
    : this.notApplicable(
        `the scenario needs two identities, the second one restricted to the scenario's topics under "open/" (MQTT_USERNAME / MQTT_PASSWORD and MQTT_USERNAME2 / MQTT_PASSWORD2); ${CONVENTION}`,
      );
});

When(re(`${CLIENT} tries to connect as the configured user with a wrong password`), function (this: W, name: string) {
  const u = this.run.config.username ?? '';
  return this.sendConnect(name, {
    spec: `username ${JSON.stringify(u)} password ${JSON.stringify(`${this.run.config.password ?? ''}-wrong`)}`,
  }).then(() => undefined);
});

When(re(`${CLIENT} tries to connect with an unknown user name`), function (this: W, name: string) {
  return this.sendConnect(name, {
    spec: `username ${JSON.stringify(`mh-unknown-${this.clientIdOf(name)}`)} password "x"`,
  }).then(() => undefined);
});

/**
 * A PUBLISH the client may not perform is acknowledged by the packet its QoS calls for (in MQTT 5
 * with one of the given reason codes), or the connection is closed (MQTT 3.1.1 3.3.5-2).
 */
Then(
  re(
    `${CLIENT} gets (PUBACK|PUBREC) packet id (\\d+) (?:with reason code ${CODES}|as usual), or its connection is closed${WITHIN}`,
  ),
  async function (this: W, name: string, type: string, id: string, codes?: string, d?: Duration) {
    const c = this.client(name);
    let ack: Packet;
    try {
      ack = await this.receive(name, { type: type.toLowerCase() as 'puback', packetId: Number(id) }, d?.ms);
    } catch (e) {
      if (!c.closed) throw e;
      await this.closed(name, 0);
      return;
    }
    const rc = (ack as { reasonCode?: number }).reasonCode ?? 0;
    if (codes && !toCodes(codes).includes(rc))
      throw new ExpectationError(`${name}: got ${describePacket(ack)}; expected reason code ${codes}`);
  },
);

// ---- WebSocket (section 6) ----

/** Every client of the scenario dials the target's WebSocket endpoint (each raw send is then one WebSocket message); not applicable without one. */
Given(re(`the target is reached over WebSocket`), function (this: W) {
  return this.useWebSocketEndpoint();
});

/**
 * A CONNECT with an empty client id (MQTT 5): accepted with an Assigned Client Identifier
 * (3.1.3-6, 3.2.2-16), or refused — a CONNACK 0x85 is a MAY (3.1.3-8), the close a MUST. The
 * statements about the accepting CONNACK are annotated `# checks if sent`: not applicable when
 * the broker refused.
 */
Then(
  re(
    `${CLIENT} is either accepted with an assigned client identifier, or refused with reason code ${CODES} if the broker sends one, and disconnected${WITHIN}`,
  ),
  async function (this: W, name: string, codes: string, d?: Duration) {
    const ms = d?.ms ?? this.waitMs;
    const ack = await this.connackOrClose(name, ms, true, 'accepting CONNACK (the broker refused by closing)');
    if (!ack) return;
    this.account.optionalPacket(
      ack.reasonCode === 0,
      ack.reasonCode === 0 ? 'accepting CONNACK' : 'accepting CONNACK (the broker refused)',
    );
    if (ack.reasonCode === 0) {
      if (!ack.properties?.assignedClientIdentifier)
        throw new ExpectationError(
          `${name}: accepted with ${describePacket(ack)} but without an Assigned Client Identifier`,
        );
      return;
    }
    if (!toCodes(codes).includes(ack.reasonCode))
      throw new ExpectationError(`${name}: refused with ${describePacket(ack)}; expected reason code ${codes}`);
    await this.closed(name, ms);
  },
);
