import { describe, expect, it } from 'vitest';
import { Outbound } from '../../src/fleet/index.ts';

const msg = (i: number, qos: 1 | 2 = 1) => ({
  msgId: `m${i}`,
  topic: 't',
  qos,
  retain: false,
  payload: Buffer.from(`m${i}`),
});

describe('Outbound (client QoS 1/2 sender state)', () => {
  it('keeps the in-flight window and allocates unused packet ids', () => {
    const o = new Outbound(2, 10);
    for (let i = 0; i < 4; i++) o.enqueue(msg(i));
    const sent = o.pump(0);
    expect(sent.map((p) => [p.packetId, p.dup])).toEqual([
      [1, false],
      [2, false],
    ]);
    expect(o.pump(0)).toEqual([]);
    o.flights.delete(1);
    expect(o.pump(0).map((p) => p.packetId)).toEqual([3]);
  });

  it('resends in first-send order, PUBLISH with DUP and PUBREL for released QoS 2 (4.4.0-1, 4.6.0-1)', () => {
    const o = new Outbound(10, 10);
    o.enqueue(msg(0, 2));
    o.enqueue(msg(1, 1));
    o.enqueue(msg(2, 2));
    o.pump(0);
    o.flights.get(1)!.state = 'pubrel';
    const again = o.resend(5);
    expect(again.map((p) => [p.type, (p as { packetId: number }).packetId, (p as { dup?: boolean }).dup])).toEqual([
      ['pubrel', 1, undefined],
      ['publish', 2, true],
      ['publish', 3, true],
    ]);
    expect(o.oldestSentAt()).toBe(5);
  });

  it('bounds its queue and skips ids still in flight when wrapping', () => {
    const o = new Outbound(65535, 1);
    expect(o.enqueue(msg(0))).toBe(true);
    expect(o.enqueue(msg(1))).toBe(false);
    o.pump(0);
    expect(o.clearFlights()).toHaveLength(1);
    expect(o.idle).toBe(true);
  });
});
