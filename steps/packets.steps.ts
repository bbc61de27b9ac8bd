import { Given, Then, When, type DataTable } from '@cucumber/cucumber';
import { packetFromJson } from '../src/client/index.ts';
import type { ConformanceWorld as W } from './support/world.ts';
import { DURATION, NAME, PACKET, WITHIN, re, toMs, withTable } from './support/parse.ts';

const within = (w: W, d: string | undefined): number | undefined => (d ? w.ms(toMs(d)) : undefined);

// Clients acknowledge deliveries on arrival unless the scenario says otherwise; this step says so
// (the World reads it when the scenario begins, see MANUAL_ACK_STEP in support/world-base.ts).
Given(re(`${NAME} leaves (?:its )?deliveries unacknowledged`), function (this: W, name: string) {
  this.client(name);
});

When(re(`${NAME} sends ${PACKET}`), function (this: W, name: string, spec: string) {
  this.send(name, spec);
});
When(re(`${NAME} sends ${PACKET}(?: with)?:`), function (this: W, name: string, spec: string, table: DataTable) {
  this.send(name, withTable(spec, table.raw()));
});
When(re(`${NAME} sends the packet:`), function (this: W, name: string, json: string) {
  this.send(name, packetFromJson(json));
});
When(re(`${NAME} sends raw "([^"]*)"`), function (this: W, name: string, hex: string) {
  this.sendRaw(name, hex);
});
When(re(`${NAME} sends a WebSocket text message "([^"]*)"`), function (this: W, name: string, text: string) {
  this.client(name).sendWebSocketText(text);
});
When(re(`${NAME} sends raw bytes:`), function (this: W, name: string, hex: string) {
  this.sendRaw(name, hex);
});
Then(re(`${NAME} receives ${PACKET}${WITHIN}`), function (this: W, name: string, spec: string, d?: string) {
  return this.receive(name, spec, within(this, d)).then(() => undefined);
});
Then(
  re(`${NAME} receives ${PACKET}(?: with)?${WITHIN}:`),
  function (this: W, name: string, spec: string, d: string | undefined, table: DataTable) {
    return this.receive(name, withTable(spec, table.raw()), within(this, d)).then(() => undefined);
  },
);
Then(re(`${NAME} next receives ${PACKET}${WITHIN}`), function (this: W, name: string, spec: string, d?: string) {
  return this.receiveNext(name, spec, within(this, d)).then(() => undefined);
});
Then(
  re(`${NAME} receives one of(?: these)?${WITHIN}:`),
  function (this: W, name: string, d: string | undefined, table: DataTable) {
    return this.receiveOneOf(
      name,
      table.raw().map((r) => r.join(' ')),
      within(this, d),
    ).then(() => undefined);
  },
);
Then(
  re(`${NAME} receives a packet matching${WITHIN}:`),
  function (this: W, name: string, d: string | undefined, json: string) {
    return this.receive(name, packetFromJson(json), within(this, d)).then(() => undefined);
  },
);
Then(
  re(`${NAME} receives nothing(?: like ${PACKET})? for ${DURATION}`),
  function (this: W, name: string, spec: string | undefined, d: string) {
    return this.receiveNothing(name, spec, this.ms(toMs(d)));
  },
);
When(re(`${NAME} sends in a WebSocket text message ${PACKET}`), function (this: W, name: string, spec: string) {
  this.sendAsWebSocketText(name, spec);
});
