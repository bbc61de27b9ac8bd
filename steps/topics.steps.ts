import { Then } from '@cucumber/cucumber';
import {
  ExpectationError,
  acknowledgeFlow,
  describePacket,
  matches,
  type PacketPattern,
  type TestClient,
} from '../src/client/index.ts';
import type { PublishPacket, QoS, SubackPacket } from '../src/codec/index.ts';
import type { ConformanceWorld as W } from './support/world.ts';
import { CODES, re, toCodes } from './support/parse.ts';
import { CLIENT, WITHIN, type Duration } from './support/parameter-types.ts';

/**
 * Steps for refusals whose form the spec leaves to the server: an invalid topic filter may
 * be refused with a SUBACK failure code or by closing the connection; either is accepted,
 * a grant is not. (Candidates for World methods; kept here as thin wrappers.)
 */

const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

/**
 * Closed by the broker; a DISCONNECT sent before the close must carry a failure code (≥ 0x80),
 * one of `codes` when given.
 */
async function closedWithFailure(w: W, name: string, ms: number, codes?: number[]): Promise<void> {
  const info = await w.closed(name, ms);
  // `# checks if sent …` statements of the step are checked only when a DISCONNECT came.
  w.account.optionalPacket(info.disconnect !== undefined, 'DISCONNECT');
  const rc = info.disconnect ? (info.disconnect.reasonCode ?? 0) : undefined;
  if (rc !== undefined && rc < 0x80) {
    throw new ExpectationError(
      `${name}: the broker closed the connection after DISCONNECT reason code ${hex(rc)}; expected a failure code (0x80 or above)`,
    );
  }
  if (rc !== undefined && codes && !codes.includes(rc)) {
    throw new ExpectationError(
      `${name}: the broker closed the connection after DISCONNECT reason code ${hex(rc)}; expected ${codes.map(hex).join(' or ')}`,
    );
  }
}

/**
 * A SUBACK for `id` with only failure codes, or a close by the broker (with a failure code if it
 * says one); with `codes`, the SUBACK's or the DISCONNECT's codes must be among them.
 */
async function subscriptionRefused(w: W, name: string, id: number, ms: number, codes?: number[]): Promise<void> {
  const c: TestClient = w.client(name);
  let ack: SubackPacket;
  try {
    ack = (await c.expect({ type: 'suback', packetId: id }, ms)) as SubackPacket;
  } catch (e) {
    if (!c.closed) throw e;
    return closedWithFailure(w, name, ms, codes);
  }
  const granted = ack.reasonCodes.filter((rc) => rc < 0x80);
  if (ack.reasonCodes.length === 0 || granted.length > 0) {
    const m = `${name}: the broker accepted the subscription (${describePacket(ack)}); expected a failure reason code or the connection to be closed`;
    throw w.undetected(name, m) ?? new ExpectationError(m);
  }
  if (codes && ack.reasonCodes.some((rc) => !codes.includes(rc))) {
    throw new ExpectationError(
      `${name}: the broker refused with ${describePacket(ack)}; expected ${codes.map(hex).join(' or ')}`,
    );
  }
}

// `with reason code 0xA2`: in the SUBACK, or in a DISCONNECT before the close (a close without
// DISCONNECT is accepted too: the server only SHOULD send one, 4.13.1).
Then(
  re(`${CLIENT} is refused the subscription with packet id (\\d+)(?: with reason code ${CODES})?${WITHIN}`),
  function (this: W, name: string, id: string, codes?: string, d?: Duration) {
    return subscriptionRefused(this, name, Number(id), d?.ms ?? this.waitMs, codes ? toCodes(codes) : undefined);
  },
);

Then(
  re(`the connection of ${CLIENT} is closed${WITHIN}, with a failure reason code if the broker sends one`),
  function (this: W, name: string, d?: Duration) {
    return closedWithFailure(this, name, d?.ms ?? this.waitMs);
  },
);

/**
 * Shared subscriptions: the message reaches exactly one of the named clients (counting every
 * copy each received), the first copy within the bound, then a quiet 300 ms (scaled) for
 * stray copies. The copy is then acknowledged as its QoS asks.
 */
async function exactlyOne(
  w: W,
  names: string[],
  payload: string,
  topic: string,
  qos: number | undefined,
  ms: number,
): Promise<void> {
  const pattern: PacketPattern = { type: 'publish', topic: w.topic(topic), payload };
  if (qos !== undefined) pattern.qos = qos;
  const clients = names.map((n) => w.client(n));
  const hits = (): Array<{ c: TestClient; p: PublishPacket }> =>
    clients.flatMap((c) => c.inbox.filter((p) => matches(p, pattern)).map((p) => ({ c, p: p as PublishPacket })));
  const deadline = Date.now() + ms;
  while (hits().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (hits().length === 0)
    throw new ExpectationError(`none of ${names.join(', ')} received ${describePacket(pattern)} within ${ms} ms`);
  await new Promise((r) => setTimeout(r, w.ms(300)));
  const found = hits();
  if (found.length !== 1) {
    throw new ExpectationError(
      `expected exactly one copy of ${describePacket(pattern)} among ${names.join(', ')}, got ${found.length}: ${found.map((h) => h.c.name).join(', ')}`,
    );
  }
  const { c, p } = found[0];
  c.inbox.splice(c.inbox.indexOf(p), 1);
  await acknowledgeFlow(c, p, w.waitMs);
}

Then(
  re(
    `exactly one of ((?:"[^"]+"(?:, | and )?)+) receives message "([^"]*)" on "([^"]*)"(?: with qos ([012]))?${WITHIN}`,
  ),
  function (this: W, list: string, payload: string, topic: string, qos: string | null, d: Duration | undefined) {
    const names = [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    if (names.length < 2)
      throw new Error(`"exactly one of": expected two or more quoted client names, got ${JSON.stringify(list)}`);
    return exactlyOne(this, names, payload, topic, qos == null ? undefined : Number(qos), d?.ms ?? this.waitMs);
  },
);

/** Every SUBACK / UNSUBACK `name` received so far (read from the trace) fits in `max` bytes. */
Then(
  re(`no (SUBACK|UNSUBACK) ${CLIENT} received was larger than (\\d+) bytes`),
  function (this: W, type: string, name: string, max: string) {
    const big = this.trace.entries.filter(
      (e) =>
        e.client === name &&
        e.direction === 'received' &&
        e.packet?.type === type.toLowerCase() &&
        (e.hex?.length ?? 0) / 2 > Number(max),
    );
    if (big.length > 0) {
      throw new ExpectationError(
        `${name} received ${big.map((e) => `${describePacket(e.packet!)} (${e.hex!.length / 2} bytes)`).join('; ')}; its Maximum Packet Size was ${max}`,
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
