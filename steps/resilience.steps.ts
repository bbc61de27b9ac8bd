/**
 * Resilience scenarios: virtual devices behind fault-injecting links, judged by the
 * guarantee checkers over the recorded history. Every step is a one-liner on the harness
 * (src/fleet/resilience-harness.ts); durations are scaled by MQTT_RESILIENCE_TIME_SCALE.
 */
import { Given, Then, When } from '@cucumber/cucumber';
import type { CheckerName } from '../src/checker/index.ts';
import { formatResult } from '../src/checker/index.ts';
import type { ConformanceWorld } from './support/world.ts';
import { harness as h, setSeed } from './support/resilience-world.ts';
import { dropToxic, expectWill, outageToxic, qos, violationNames } from './support/resilience-parse.ts';
import { re as r } from './support/parse.ts';
import { CLIENT, DURATION, type Duration } from './support/parameter-types.ts';

type W = ConformanceWorld;
const DEV = `device ${CLIENT}`;
/** Where no other step could match, "device" may be left out. */
const DEV_ = `(?:device )?${CLIENT}`;
const PACKETS =
  '((?:CONNACK|PUBLISH|PUBACK|PUBREC|PUBREL|PUBCOMP|SUBACK|PINGRESP)(?:(?:,| and) (?:PUBLISH|PUBACK|PUBREC|PUBREL|PUBCOMP))*)';

// ---- setup
Given(r('a resilience run with seed (\\d+)'), function (this: W, seed: string) {
  return setSeed(this, Number(seed));
});
Given(r('a broker that loses every (\\d+)(?:st|nd|rd|th) QoS 1 delivery'), async function (this: W, n: string) {
  await h(this).useOwnBroker({ loseQos1EveryNth: Number(n) });
});
Given(r('a broker that delivers every QoS 2 message twice'), async function (this: W) {
  await h(this).useOwnBroker({ duplicateQos2: true });
});
Given(
  r(`the link between ${DEV_} and the broker is "([a-z0-9-]+)"`),
  async function (this: W, d: string, profile: string) {
    await h(this).link(d, { profile });
  },
);
Given(
  r(`the link between ${DEV_} and the broker has ${DURATION} latency with ${DURATION} jitter`),
  async function (this: W, d: string, lat: Duration, jit: Duration) {
    await h(this).link(d, {
      toxics: ['upstream', 'downstream'].map((stream) => ({
        type: 'latency',
        stream: stream as 'upstream',
        attributes: { latency: lat.writtenMs, jitter: jit.writtenMs },
      })),
    });
  },
);
Given(
  r(`${DEV} subscribes to "([^"]+)" at QoS ([012])( with a persistent session)?`),
  async function (this: W, d: string, f: string, q: string, p?: string) {
    await h(this).subscribe(d, f, qos(q), { persistent: Boolean(p) });
  },
);
Given(
  r(`${DEV} is connected with a will on "([^"]+)" at QoS ([012])`),
  async function (this: W, d: string, t: string, q: string) {
    await h(this).device(d, { will: { topic: h(this).topic(t), qos: qos(q) }, keepAlive: 1 });
  },
);

// ---- actions
When(
  r(`${DEV} publishes (\\d+) QoS ([012]) messages to "([^"]+)"(?:( one at a time)|, one every ${DURATION})?`),
  async function (this: W, d: string, n: string, q: string, t: string, one?: string, every?: Duration) {
    await h(this).publish(d, Number(n), t, qos(q), {
      oneAtATime: Boolean(one),
      intervalMs: every?.writtenMs,
    });
  },
);
When(
  r(`${DEV_} starts publishing (\\d+) QoS ([012]) messages to "([^"]+)"(?:, one every ${DURATION})?`),
  function (this: W, d: string, n: string, q: string, t: string, every?: Duration) {
    h(this).startPublishing(d, Number(n), t, qos(q), { intervalMs: every?.writtenMs });
  },
);
When(r(`the proxy drops every ${PACKETS} for ${DURATION}`), function (this: W, pk: string, d: Duration) {
  h(this).faultEverywhere(dropToxic(pk, 'to', { for_ms: h(this).ms(d.writtenMs) }));
});
When(
  r(`${DEV} publishes (\\d+) retained QoS ([012]) messages to "([^"]+)" one at a time`),
  async function (this: W, d: string, n: string, q: string, t: string) {
    await h(this).publish(d, Number(n), t, qos(q), { retain: true, oneAtATime: true });
  },
);
When(
  r(`the proxy drops every ${PACKETS} (to|from) ${DEV} for ${DURATION}`),
  async function (this: W, pk: string, dir: string, d: string, t: Duration) {
    await h(this).fault(d, dropToxic(pk, dir, { for_ms: h(this).ms(t.writtenMs) }));
  },
);
When(
  r(`the proxy drops (\\d+)% of the ${PACKETS} packets (to|from) ${DEV}`),
  async function (this: W, pct: string, pk: string, dir: string, d: string) {
    await h(this).fault(d, dropToxic(pk, dir, { probability: Number(pct) / 100 }));
  },
);
When(
  r(`the link of ${DEV} goes down for ${DURATION} every ${DURATION}, (\\d+) times`),
  async function (this: W, d: string, down: Duration, every: Duration, n: string) {
    const h_ = h(this);
    await h_.fault(d, outageToxic(h_.ms(down.writtenMs), h_.ms(every.writtenMs - down.writtenMs), Number(n)));
  },
);
When(r(`the link of ${DEV_} is cut`), function (this: W, d: string) {
  h(this).cut(d);
});
When(r(`${DEV} crashes`), function (this: W, d: string) {
  h(this).crash(d);
});
When(r(`${DEV} disconnects normally`), async function (this: W, d: string) {
  await h(this).disconnect(d);
});
When(r(`${DEV} reconnects`), async function (this: W, d: string) {
  await h(this).reconnect(d);
});
When(r(`the scenario waits ${DURATION}`), async function (this: W, d: Duration) {
  await h(this).wait(d.writtenMs);
});

// ---- guarantees
const holds = (names: CheckerName[]) =>
  async function (this: W) {
    const rs = await h(this).expectValid(names);
    this.attach(rs.map(formatResult).join('\n'), 'text/plain');
  };
Then(r('every QoS 1 message is delivered at least once'), holds(['qos1-at-least-once']));
Then(r('every QoS 2 message is delivered exactly once'), holds(['qos2-exactly-once']));
Then(r('no QoS 0 message is delivered twice'), holds(['qos0-at-most-once']));
Then(r("each publisher's messages arrive in order"), holds(['ordered-topics']));
Then(r('a new subscriber gets the last retained value'), holds(['retained-last-value']));
Then(r('the last will is published exactly when the connection did not end normally'), holds(['last-will']));
Then(r('queued messages are delivered after the session resumes'), holds(['session-resume']));
Then(r(`${DEV} received the will of ${DEV}`), async function (this: W, m: string, d: string) {
  await expectWill(h(this), m, d, true);
});
Then(r(`${DEV} received no will of ${DEV}`), async function (this: W, m: string, d: string) {
  await expectWill(h(this), m, d, false);
});
Then(
  r('the "([a-z0-9-]+)" checker finds a violation naming the (lost|duplicated) message'),
  async function (this: W, name: string, what: string) {
    const res = await h(this).expectInvalid(name as CheckerName);
    this.attach(formatResult(res), 'text/plain');
    violationNames(res, what as 'lost' | 'duplicated');
  },
);
