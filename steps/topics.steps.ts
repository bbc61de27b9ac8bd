import { Then } from '@cucumber/cucumber';
import { ExpectationError, describePacket } from '../src/client/index.ts';
import type { QoS } from '../src/codec/index.ts';
import type { ConformanceWorld as W } from './support/world.ts';
import { CODES, quotedList, re, toCodes } from './support/parse.ts';
import { CLIENT, WITHIN, type Duration } from './support/parameter-types.ts';

/**
 * Steps for refusals whose form the spec leaves to the server: an invalid topic filter may
 * be refused with a SUBACK failure code or by closing the connection; either is accepted,
 * a grant is not. (Thin wrappers on the World.)
 */

// `with reason code 0xA2`: in the SUBACK, or in a DISCONNECT before the close (a close without
// DISCONNECT is accepted too: the server only SHOULD send one, 4.13.1).
Then(
  re(`${CLIENT} is refused the subscription with packet id (\\d+)(?: with reason code ${CODES})?${WITHIN}`),
  function (this: W, name: string, id: string, codes?: string, d?: Duration) {
    return this.subscriptionRefused(name, Number(id), d?.ms ?? this.waitMs, codes ? toCodes(codes) : undefined);
  },
);

Then(
  re(`the connection of ${CLIENT} is closed${WITHIN}, with a failure reason code if the broker sends one`),
  function (this: W, name: string, d?: Duration) {
    return this.closedWithFailure(name, d?.ms ?? this.waitMs);
  },
);

Then(
  re(
    `exactly one of ((?:"[^"]+"(?:, | and )?)+) receives message "([^"]*)" on "([^"]*)"(?: with qos ([012]))?${WITHIN}`,
  ),
  function (this: W, list: string, payload: string, topic: string, qos: string | null, d: Duration | undefined) {
    const names = quotedList(list);
    if (names.length < 2)
      throw new Error(`"exactly one of": expected two or more quoted client names, got ${JSON.stringify(list)}`);
    return this.exactlyOneReceives(names, payload, topic, qos == null ? undefined : Number(qos), d?.ms ?? this.waitMs);
  },
);

/** Every SUBACK / UNSUBACK `name` received so far (read from the trace) fits in `max` bytes. */
Then(
  re(`no (SUBACK|UNSUBACK) ${CLIENT} received was larger than (\\d+) bytes`),
  function (this: W, type: string, name: string, max: string) {
    const big = this.received(name).filter((r) => r.packet.type === type.toLowerCase() && r.bytes > Number(max));
    if (big.length > 0) {
      throw new ExpectationError(
        `${name} received ${big.map((r) => `${describePacket(r.packet)} (${r.bytes} bytes)`).join('; ')}; its Maximum Packet Size was ${max}`,
      );
    }
  },
);

/**
 * For scenarios that need the broker to route a client's message on a `$` topic (servers
 * are advised to keep clients off `$` topics): if the message does not arrive, the scenario
 * is not applicable rather than failed.
 */
Then(
  re(
    `${CLIENT} receives message "([^"]*)" on "([^"]*)" with qos ([012])${WITHIN}, else the scenario is not applicable`,
  ),
  async function (this: W, name: string, payload: string, topic: string, qos: string, d: Duration | undefined) {
    try {
      await this.receiveMessage(name, payload, topic, Number(qos) as QoS, d?.ms);
      return undefined;
    } catch (e) {
      if (!(e instanceof ExpectationError)) throw e;
      return this.notApplicable(
        `the broker did not deliver a client's message on "${this.topic(topic)}" to a subscriber of that exact topic; it may keep clients off $ topics`,
      );
    }
  },
);
