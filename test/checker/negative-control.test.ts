/**
 * Negative control: a broker that breaks its guarantees on purpose must be caught, with a
 * witness naming the lost / duplicated message. A checker that cannot fail is worthless.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ResilienceHarness } from '../../src/fleet/index.ts';
import { formatResult } from '../../src/checker/index.ts';

let h: ResilienceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const harness = (version: '3.1.1' | '5.0', tag: string) =>
  new ResilienceHarness({
    brokerUrl: 'mqtt://127.0.0.1:1',
    version,
    seed: 1234,
    prefix: `nc${tag}${Date.now().toString(36)}`,
  });

describe.each(['3.1.1', '5.0'] as const)('negative control, MQTT %s', (version) => {
  it('a broker losing every 5th QoS 1 delivery is caught by the at-least-once checker', async () => {
    h = harness(version, 'l');
    await h.useOwnBroker({ loseQos1EveryNth: 5 });
    await h.subscribe('dashboard', 'fleet/+/temp', 1);
    await h.publish('sensor-1', 20, 'fleet/sensor-1/temp', 1);
    const r = await h.expectInvalid('qos1-at-least-once');
    expect(r.violations!.length).toBe(4);
    const lost = h.recorder.history
      .filter((o) => o.f === 'publish' && o.type === 'invoke')
      .map((o) => o.value.msgId!)
      .filter((id) => !h!.recorder.history.some((o) => o.f === 'receive' && o.value.msgId === id));
    expect(lost).toHaveLength(4);
    // The witness names the first lost message: its publish invoke + ok and the subscription.
    const w = r.witness!;
    expect(w.filter((o) => o.f === 'publish').map((o) => o.value.msgId)).toEqual([lost[0], lost[0]]);
    expect(w.filter((o) => o.f === 'subscribe')).toHaveLength(2);
    expect(formatResult(r)).toContain(lost[0]);
    // The same history is fine for a checker that is not about loss.
    expect(h.check(['qos2-exactly-once', 'ordered-topics'])[1].valid).toBe(true);
  });

  it('a broker duplicating QoS 2 deliveries is caught by the exactly-once checker', async () => {
    h = harness(version, 'd');
    await h.useOwnBroker({ duplicateQos2: true });
    await h.subscribe('dashboard', 'fleet/+/temp', 2);
    await h.publish('sensor-1', 5, 'fleet/sensor-1/temp', 2);
    const r = await h.expectInvalid('qos2-exactly-once');
    expect(r.violations!.every((v) => v.key.startsWith('dup:'))).toBe(true);
    expect(r.violations!.length).toBe(5);
    const recv = r.witness!.filter((o) => o.f === 'receive');
    expect(recv).toHaveLength(2);
    expect(recv[0].value.msgId).toBe(recv[1].value.msgId);
    expect(r.summary).toContain(`${recv[0].value.msgId} on`);
  });

  it('the same scenarios against a correct broker are valid', async () => {
    h = harness(version, 'c');
    await h.useOwnBroker();
    await h.subscribe('dashboard', 'fleet/+/temp', 2);
    await h.publish('sensor-1', 20, 'fleet/sensor-1/temp', 1);
    await h.publish('sensor-1', 5, 'fleet/sensor-1/temp', 2);
    const rs = await h.expectValid(['qos1-at-least-once', 'qos2-exactly-once', 'ordered-topics']);
    expect(rs.map((r) => r.valid)).toEqual([true, true, true]);
  });
});
