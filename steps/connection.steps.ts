import { Given, Then, When } from '@cucumber/cucumber';
import type { ConformanceWorld as W } from './support/world.ts';
import { CODE, CODES, DURATION, NAME, VERSION, WITHIN, re, toCode, toCodes, toMs } from './support/parse.ts';

const who = (as: string | undefined): 'default' | 'second' | 'none' =>
  as === ' as the second user' ? 'second' : as === ' anonymously' ? 'none' : 'default';
const CONNECT_TAIL = `( as the second user| anonymously)?(?: with MQTT ${VERSION})?(?: (?:with|and) (.+))?`;

Given(
  re(`(?:client )?${NAME} (?:is )?connected${CONNECT_TAIL}`),
  function (this: W, name: string, as?: string, version?: string, spec?: string) {
    return this.lacksCredentials(who(as)) ?? this.connected(name, { version, spec, credentials: who(as) });
  },
);
When(
  re(`${NAME} connects${CONNECT_TAIL}`),
  function (this: W, name: string, as?: string, version?: string, spec?: string) {
    return (
      this.lacksCredentials(who(as)) ??
      this.sendConnect(name, { version, spec, credentials: who(as) }).then(() => undefined)
    );
  },
);
Given(
  re(`(?:client )?${NAME} opened a network connection(?: with MQTT ${VERSION})?`),
  function (this: W, name: string, version?: string) {
    return this.open(name, version).then(() => undefined);
  },
);
When(re(`${NAME} disconnects`), function (this: W, name: string) {
  return this.disconnect(name);
});
When(re(`${NAME} drops the connection`), function (this: W, name: string) {
  return this.drop(name);
});
// `closes the connection` after its own DISCONNECT: the sender of a DISCONNECT closes (3.14.4-2);
// the server only SHOULD close it (3.14.4), so scenarios do not wait for that.
When(re(`${NAME} closes the connection(?: without DISCONNECT)?`), function (this: W, name: string) {
  this.client(name).end();
});
Then(re(`the connection of ${NAME} is closed${WITHIN}`), function (this: W, name: string, within?: string) {
  return this.closed(name, within ? this.ms(toMs(within)) : undefined).then(() => undefined);
});
Then(
  re(`the connection of ${NAME} is closed${WITHIN} without any packet from the broker`),
  function (this: W, name: string, within?: string) {
    return this.closedSilently(name, within ? this.ms(toMs(within)) : undefined);
  },
);
Then(
  re(`the connection of ${NAME} is closed${WITHIN}, with reason code ${CODES} if the broker sends one`),
  function (this: W, name: string, within: string | undefined, codes: string) {
    return this.closedWithReason(name, toCodes(codes), false, within ? this.ms(toMs(within)) : undefined);
  },
);
Then(
  re(`${NAME} is disconnected with reason code ${CODE}${WITHIN}`),
  function (this: W, name: string, code: string, within?: string) {
    return this.closedWithReason(name, [toCode(code)], true, within ? this.ms(toMs(within)) : undefined);
  },
);
Then(re(`the connection of ${NAME} stays open for ${DURATION}`), function (this: W, name: string, d: string) {
  return this.staysOpen(name, this.ms(toMs(d)));
});
When(re(`${DURATION} pass(?:es)?`), function (this: W, d: string) {
  return new Promise<void>((r) => setTimeout(r, this.ms(toMs(d))));
});
Given(
  re(`(?:client )?${NAME} (?:is )?connected over WebSocket(?: with MQTT ${VERSION})?(?: (?:with|and) (.+))?`),
  function (this: W, name: string, version?: string, spec?: string) {
    return this.connectedOverWebSocket(name, { version, spec });
  },
);
