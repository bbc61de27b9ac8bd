import { Then, When } from '@cucumber/cucumber';
import { ExpectationError, describePacket, mismatch, parsePacketSpec } from '../src/client/index.ts';
import type { ConformanceWorld as W } from './support/world.ts';
import { CODE, PACKET, re, toCode } from './support/parse.ts';
import { CLIENT, WITHIN, type Duration } from './support/parameter-types.ts';

/**
 * Steps for flows where the broker picks the packet identifier (outgoing QoS 1/2, resends
 * after a reconnect): a received packet is given a label, and later steps refer to the
 * identifier it carried. The labels live per scenario (per World) and per client name.
 *   Then "sub" receives message m1 as PUBLISH qos 2 payload "x" within 2 s   (first time: notes its id)
 *   When "sub" acknowledges message m1 with PUBREC                            (PUBREC with that id)
 *   Then "sub" receives message m1 as PUBREL within 2 s                      (later times: id must match)
 */
const labels = new WeakMap<W, Map<string, number>>();
const memo = (w: W): Map<string, number> => {
  let m = labels.get(w);
  if (!m) labels.set(w, (m = new Map()));
  return m;
};
const idOf = (w: W, name: string, label: string): number => {
  const id = memo(w).get(`${name}/${label}`);
  if (id === undefined) throw new Error(`"${name}" has received no packet labelled ${label} yet in this scenario`);
  return id;
};

Then(
  re(`${CLIENT} receives message (\\w+) as ${PACKET}${WITHIN}`),
  async function (this: W, name: string, label: string, spec: string, d?: Duration) {
    const known = memo(this).get(`${name}/${label}`);
    const p = await this.receive(
      name,
      { ...parsePacketSpec(spec), ...(known === undefined ? {} : { packetId: known }) },
      d?.ms,
    );
    if (known === undefined && 'packetId' in p && p.packetId !== undefined)
      memo(this).set(`${name}/${label}`, p.packetId);
  },
);

/**
 * One more check on the packet the last receiving step took, so that a field another statement
 * governs (the DUP flag of a resend, say) can be checked by its own step.
 */
Then(re(`the last packet ${CLIENT} received matches ${PACKET}`), function (this: W, name: string, spec: string) {
  const p = this.lastPacket(name);
  const m = mismatch(p, parsePacketSpec(spec));
  if (m)
    throw new ExpectationError(
      `${name}: the last packet received was ${describePacket(p)}, expected it to match ${spec} (${m})`,
    );
});

When(
  re(`${CLIENT} acknowledges message (\\w+) with (PUBACK|PUBREC|PUBREL|PUBCOMP)(?: reason code ${CODE})?`),
  function (this: W, name: string, label: string, type: string, code?: string) {
    this.send(name, {
      type: type.toLowerCase() as 'puback',
      packetId: idOf(this, name, label),
      ...(code === undefined ? {} : { reasonCode: toCode(code) }),
    });
  },
);

Then(
  re(`the packet ids of messages ((?:\\w+)(?:(?:, | and )\\w+)+) received by ${CLIENT} are all different`),
  function (this: W, list: string, name: string) {
    const ids = list.split(/, | and /).map((l) => idOf(this, name, l));
    if (new Set(ids).size !== ids.length)
      throw new ExpectationError(`${name}: packet ids ${ids.join(', ')} of messages ${list} are not all different`);
  },
);

/** A 5.0 server that announced its own Server Keep Alive uses that one: the scenario about the client's value does not apply. */
Then(re(`${CLIENT} was given no Server Keep Alive`), function (this: W, name: string) {
  const ack = [...this.trace.entries]
    .reverse()
    .find((e) => e.client === name && e.direction === 'received' && e.packet?.type === 'connack')?.packet;
  if (!ack || ack.type !== 'connack') throw new Error(`"${name}" has received no CONNACK in this scenario`);
  const k = ack.properties?.serverKeepAlive;
  return k === undefined
    ? undefined
    : this.notApplicable(
        `the broker answered with Server Keep Alive ${k}, so the client's Keep Alive is not the one in force`,
      );
});
