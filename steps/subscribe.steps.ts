import { Given, When } from '@cucumber/cucumber';
import type { QoS } from '../src/codec/index.ts';
import type { ConformanceWorld as W } from './support/world.ts';
import { re } from './support/parse.ts';
import { CLIENT } from './support/parameter-types.ts';

Given(
  re(`${CLIENT} (?:subscribed|subscribes|has subscribed) to "([^"]*)"(?: with qos ([012]))?`),
  function (this: W, name: string, filter: string, qos?: string) {
    return this.subscribe(name, filter, Number(qos ?? 0) as QoS);
  },
);
When(re(`${CLIENT} unsubscribes from "([^"]*)"`), function (this: W, name: string, filter: string) {
  return this.unsubscribe(name, filter);
});
