import { Then, When } from '@cucumber/cucumber';
import type { QoS } from '../src/codec/index.ts';
import type { ConformanceWorld as W } from './support/world.ts';
import { re } from './support/parse.ts';
import { CLIENT, DURATION, WITHIN, type Duration } from './support/parameter-types.ts';

When(
  re(`${CLIENT} (?:publishes|published|has published) "([^"]*)" to "([^"]*)"(?: with qos ([012]))?( retained)?`),
  function (this: W, name: string, payload: string, topic: string, qos?: string, retained?: string) {
    return this.publish(name, topic, payload, Number(qos ?? 0) as QoS, retained != null);
  },
);
Then(
  re(`${CLIENT} receives message "([^"]*)" on "([^"]*)"(?: with qos ([012]))?${WITHIN}`),
  function (this: W, name: string, payload: string, topic: string, qos?: string, d?: Duration) {
    return this.receiveMessage(name, payload, topic, qos == null ? undefined : (Number(qos) as QoS), d?.ms).then(
      () => undefined,
    );
  },
);
Then(
  re(`${CLIENT} receives no message(?: on "([^"]*)")? for ${DURATION}`),
  function (this: W, name: string, topic: string | undefined, d: Duration) {
    return this.receiveNoMessage(name, topic ?? undefined, d.ms);
  },
);
When(re(`${CLIENT} acknowledges the last PUBLISH`), function (this: W, name: string) {
  return this.acknowledgeLast(name);
});
Then(
  re(
    `the broker refuses the PUBLISH of ${CLIENT} with a (PUBACK|PUBREC) packet id (\\d+) of reason code 0x80 or above${WITHIN}, else the scenario is not applicable`,
  ),
  function (this: W, name: string, type: string, id: string, d?: Duration) {
    return this.receiveRefusal(name, type.toLowerCase() as 'puback' | 'pubrec', Number(id), d?.ms);
  },
);
