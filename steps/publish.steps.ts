import { Then, When } from '@cucumber/cucumber';
import type { QoS } from '../src/codec/index.ts';
import type { ConformanceWorld as W } from './support/world.ts';
import { DURATION, NAME, WITHIN, re, toMs } from './support/parse.ts';

When(
  re(`${NAME} (?:publishes|published|has published) "([^"]*)" to "([^"]*)"(?: with qos ([012]))?( retained)?`),
  function (this: W, name: string, payload: string, topic: string, qos?: string, retained?: string) {
    return this.publish(name, topic, payload, Number(qos ?? 0) as QoS, retained != null);
  },
);
Then(
  re(`${NAME} receives message "([^"]*)" on "([^"]*)"(?: with qos ([012]))?${WITHIN}`),
  function (this: W, name: string, payload: string, topic: string, qos?: string, d?: string) {
    return this.receiveMessage(
      name,
      payload,
      topic,
      qos == null ? undefined : (Number(qos) as QoS),
      d ? this.ms(toMs(d)) : undefined,
    ).then(() => undefined);
  },
);
Then(
  re(`${NAME} receives no message(?: on "([^"]*)")? for ${DURATION}`),
  function (this: W, name: string, topic: string | undefined, d: string) {
    return this.receiveNoMessage(name, topic ?? undefined, this.ms(toMs(d)));
  },
);
When(re(`${NAME} acknowledges the last PUBLISH`), function (this: W, name: string) {
  return this.acknowledgeLast(name);
});
Then(
  re(
    `the broker refuses the PUBLISH of ${NAME} with a (PUBACK|PUBREC) packet id (\\d+) of reason code 0x80 or above${WITHIN}, else the scenario is not applicable`,
  ),
  function (this: W, name: string, type: string, id: string, d?: string) {
    return this.receiveRefusal(
      name,
      type.toLowerCase() as 'puback' | 'pubrec',
      Number(id),
      d ? this.ms(toMs(d)) : undefined,
    );
  },
);
