import { Then, When } from '@cucumber/cucumber';
import type { QoS } from '../src/codec/index.ts';
import { ExpectationError } from '../src/client/index.ts';
import type { ConformanceWorld as W } from './support/world.ts';
import { NAME, WITHIN, re, toMs } from './support/parse.ts';

/**
 * Steps of the data-representation, error-handling, authorization and WebSocket features.
 * Thin wrappers over the World; preconditions read the run's target configuration.
 */

/** A deterministic ASCII payload of n bytes ("abcdefghij" repeated). */
const bytesOf = (n: number): string => 'abcdefghij'.repeat(Math.ceil(n / 10)).slice(0, n);
const qosOf = (q: string | undefined): QoS => (q === undefined ? 0 : (Number(q) as QoS));

When(re(`${NAME} publishes (\\d+) bytes to "([^"]*)"(?: with qos ([012]))?`), function (this: W, name: string, n: string, topic: string, qos?: string) {
  return this.publish(name, topic, bytesOf(Number(n)), qosOf(qos), false);
});

Then(re(`${NAME} receives (\\d+) bytes on "([^"]*)"(?: with qos ([012]))?${WITHIN}`), function (this: W, name: string, n: string, topic: string, qos?: string, d?: string) {
  return this.receiveMessage(name, bytesOf(Number(n)), topic, qos === undefined ? undefined : qosOf(qos), d ? this.ms(toMs(d)) : undefined).then(() => undefined);
});

/** Counts the CONNACKs `name` received on its current and earlier connections in this scenario. */
Then(re(`${NAME} received exactly one CONNACK`), function (this: W, name: string) {
  const n = this.trace.entries.filter((e) => e.client === name && e.direction === 'received' && e.packet?.type === 'connack').length;
  if (n !== 1) throw new ExpectationError(`${name} received ${n} CONNACK packets; expected exactly one`);
});
