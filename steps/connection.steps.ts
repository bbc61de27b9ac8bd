import { Given, Then, When } from '@cucumber/cucumber';
import type { ConformanceWorld as W } from './support/world.ts';
import { CODE, CODES, VERSION, re, toCode, toCodes } from './support/parse.ts';
import { CLIENT, DURATION, WITHIN, type Duration } from './support/parameter-types.ts';

const who = (as: string | undefined): 'default' | 'second' | 'none' =>
  as === ' as the second user' ? 'second' : as === ' anonymously' ? 'none' : 'default';
const CONNECT_TAIL = `( as the second user| anonymously)?(?: with MQTT ${VERSION})?(?: (?:with|and) (.+))?`;

Given(
  re(`(?:client )?${CLIENT} (?:is )?connected${CONNECT_TAIL}`),
  function (this: W, name: string, as?: string, version?: string, spec?: string) {
    return this.lacksCredentials(who(as)) ?? this.connected(name, { version, spec, credentials: who(as) });
  },
);
When(
  re(`${CLIENT} connects${CONNECT_TAIL}`),
  function (this: W, name: string, as?: string, version?: string, spec?: string) {
    return (
      this.lacksCredentials(who(as)) ??
      this.sendConnect(name, { version, spec, credentials: who(as) }).then(() => undefined)
    );
  },
);
Given(
  re(`(?:client )?${CLIENT} opened a network connection(?: with MQTT ${VERSION})?`),
  function (this: W, name: string, version?: string) {
    return this.open(name, version).then(() => undefined);
  },
);
When(re(`${CLIENT} disconnects`), function (this: W, name: string) {
  return this.disconnect(name);
});
When(re(`${CLIENT} drops the connection`), function (this: W, name: string) {
  return this.drop(name);
});
// `closes the connection` after its own DISCONNECT: the sender of a DISCONNECT closes (3.14.4-2);
// the server only SHOULD close it (3.14.4), so scenarios do not wait for that.
When(re(`${CLIENT} closes the connection(?: without DISCONNECT)?`), function (this: W, name: string) {
  this.client(name).end();
});
Then(re(`the connection of ${CLIENT} is closed${WITHIN}`), function (this: W, name: string, within?: Duration) {
  return this.closed(name, within?.ms).then(() => undefined);
});
Then(
  re(`the connection of ${CLIENT} is closed${WITHIN} without any packet from the broker`),
  function (this: W, name: string, within?: Duration) {
    return this.closedSilently(name, within?.ms);
  },
);
Then(
  re(`the connection of ${CLIENT} is closed${WITHIN}, with reason code ${CODES} if the broker sends one`),
  function (this: W, name: string, within: Duration | undefined, codes: string) {
    return this.closedWithReason(name, toCodes(codes), false, within?.ms);
  },
);
Then(
  re(`${CLIENT} is disconnected with reason code ${CODE}${WITHIN}`),
  function (this: W, name: string, code: string, within?: Duration) {
    return this.closedWithReason(name, [toCode(code)], true, within?.ms);
  },
);
Then(re(`the connection of ${CLIENT} stays open for ${DURATION}`), function (this: W, name: string, d: Duration) {
  return this.staysOpen(name, d.ms);
});
When(re(`${DURATION} pass(?:es)?`), function (this: W, d: Duration) {
  return new Promise<void>((r) => setTimeout(r, d.ms));
});
Given(
  re(`(?:client )?${CLIENT} (?:is )?connected over WebSocket(?: with MQTT ${VERSION})?(?: (?:with|and) (.+))?`),
  function (this: W, name: string, version?: string, spec?: string) {
    return this.connectedOverWebSocket(name, { version, spec });
  },
);
