import { Given, Then, When, type DataTable } from '@cucumber/cucumber';
import type { ConformanceWorld as W } from './support/world.ts';
import { PACKET, re } from './support/parse.ts';
import { CLIENT, DURATION, WITHIN, type Duration } from './support/parameter-types.ts';

// Clients acknowledge deliveries on arrival unless the scenario says otherwise; this step says so
// (the World reads it when the scenario begins, see MANUAL_ACK_STEP in support/world-base.ts).
Given(re(`${CLIENT} leaves (?:its )?deliveries unacknowledged`), function (this: W, name: string) {
  this.client(name);
});

When(re(`${CLIENT} sends ${PACKET}`), function (this: W, name: string, spec: string) {
  this.send(name, spec);
});
When(re(`${CLIENT} sends raw "([^"]*)"`), function (this: W, name: string, hex: string) {
  this.sendRaw(name, hex);
});
When(
  re(`${CLIENT} sends its CONNECT in two parts, split after byte (\\d+)`),
  function (this: W, name: string, at: string) {
    this.sendConnectSplit(name, '', Number(at));
  },
);
When(re(`${CLIENT} sends raw bytes:`), function (this: W, name: string, hex: string) {
  this.sendRaw(name, hex);
});
Then(re(`${CLIENT} receives ${PACKET}${WITHIN}`), function (this: W, name: string, spec: string, d?: Duration) {
  return this.receive(name, spec, d?.ms).then(() => undefined);
});
Then(re(`${CLIENT} next receives ${PACKET}${WITHIN}`), function (this: W, name: string, spec: string, d?: Duration) {
  return this.receiveNext(name, spec, d?.ms).then(() => undefined);
});
Then(
  re(`${CLIENT} receives one of(?: these)?${WITHIN}:`),
  function (this: W, name: string, d: Duration | undefined, table: DataTable) {
    return this.receiveOneOf(
      name,
      table.raw().map((r) => r.join(' ')),
      d?.ms,
    ).then(() => undefined);
  },
);
Then(
  re(`${CLIENT} receives nothing(?: like ${PACKET})? for ${DURATION}`),
  function (this: W, name: string, spec: string | undefined, d: Duration) {
    return this.receiveNothing(name, spec, d.ms);
  },
);
When(re(`${CLIENT} sends in a WebSocket text message ${PACKET}`), function (this: W, name: string, spec: string) {
  this.sendAsWebSocketText(name, spec);
});
