/** MQTT 5.0 connection details on the shared feature broker (features-v5-helpers.ts). */
import { describe, expect, it } from 'vitest';
import { RawClient } from './raw-client.ts';
import { client, raws, subscribe, tb, useFeatureBroker } from './features-v5-helpers.ts';

useFeatureBroker();

describe('MQTT 5.0 connection details', () => {
  it('returns Response Information only when requested', async () => {
    const a = await RawClient.open(tb().port, 5);
    raws.push(a);
    expect(
      (await a.connect('ri-1', { properties: { requestResponseInformation: 1 } })).properties?.responseInformation,
    ).toBe('response/ri-1');
    const b = await RawClient.open(tb().port, 5);
    raws.push(b);
    expect((await b.connect('ri-2')).properties?.responseInformation).toBeUndefined();
  });

  it('publishes a delayed will when the session ends before the delay (3.1.2-8)', async () => {
    const s = await client();
    await subscribe(s, 'wend/#');
    const w = await RawClient.open(tb().port, 5);
    raws.push(w);
    await w.connect('wend-client', {
      will: {
        topic: 'wend/x',
        payload: Buffer.from('ended'),
        qos: 0,
        retain: false,
        properties: { willDelayInterval: 60 },
      },
      properties: { sessionExpiryInterval: 0 },
    });
    w.end();
    expect((await s.expect('publish', 1000)).payload.toString()).toBe('ended');
  });

  it('leaves out the reason string when an ack would exceed the client maximum (3.4.2-2)', async () => {
    const c = await client({ properties: { maximumPacketSize: 16 } });
    c.send({
      type: 'publish',
      topic: 'pfi',
      payload: Buffer.from([0xff]),
      qos: 1,
      retain: false,
      dup: false,
      packetId: 4,
      properties: { payloadFormatIndicator: 1 },
    });
    const ack = await c.expect('puback');
    expect([ack.reasonCode, ack.properties?.reasonString]).toEqual([0x99, undefined]);
  });

  it('omits reason strings on acks when Request Problem Information is 0', async () => {
    const a = await client({ properties: { requestProblemInformation: 0 } });
    a.send({
      type: 'publish',
      topic: 'rpi',
      payload: Buffer.from([0xff]),
      qos: 1,
      retain: false,
      dup: false,
      packetId: 1,
      properties: { payloadFormatIndicator: 1 },
    });
    const ack = await a.expect('puback');
    expect([ack.reasonCode, ack.properties?.reasonString]).toEqual([0x99, undefined]);
    const b = await client();
    b.send({
      type: 'publish',
      topic: 'rpi',
      payload: Buffer.from([0xff]),
      qos: 1,
      retain: false,
      dup: false,
      packetId: 1,
      properties: { payloadFormatIndicator: 1 },
    });
    expect((await b.expect('puback')).properties?.reasonString).toBeTypeOf('string');
  });
});
