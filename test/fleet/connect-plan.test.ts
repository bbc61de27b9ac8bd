import { describe, expect, it } from 'vitest';
import { HistoryRecorder } from '../../src/checker/index.ts';
import { ManualClock } from '../../src/common/index.ts';
import { connectPlan, unsupportedTarget } from '../../src/fleet/index.ts';

const rec = new HistoryRecorder(new ManualClock());
const base = { clientId: 'c1', url: 'mqtt://x', recorder: rec, keepAlive: 5 };

describe('connectPlan', () => {
  it('3.1.1 persistent devices always use CleanSession 0; 5.0 starts clean once and keeps an expiry', () => {
    expect(connectPlan({ ...base, persistent: true }, 4, 0).packet.clean).toBe(false);
    const v5first = connectPlan({ ...base, persistent: true }, 5, 0);
    expect(v5first.packet.clean).toBe(true);
    expect(v5first.packet.properties?.sessionExpiryInterval).toBe(600);
    expect(v5first.value).toMatchObject({ cleanStart: true, persistent: true, sessionExpiry: 600 });
    expect(connectPlan({ ...base, persistent: true }, 5, 1).packet.clean).toBe(false);
    expect(connectPlan({ ...base }, 5, 3).packet).toMatchObject({
      clean: true,
      properties: { sessionExpiryInterval: 0 },
    });
  });

  it('gives each connection a will with its own message id, and passes credentials', () => {
    const p = connectPlan({ ...base, will: { topic: 's/c1', qos: 1 }, username: 'u', password: 'pw' }, 4, 2);
    expect(p.packet.will?.payload.toString()).toBe('c1:will:2');
    expect(p.value.will).toEqual({ topic: 's/c1', qos: 1, retain: false, msgId: 'c1:will:2' });
    expect(p.packet.username).toBe('u');
    expect(p.packet.password?.toString()).toBe('pw');
  });
});

describe('unsupportedTarget', () => {
  it('accepts plain TCP targets only (the proxy must see MQTT packets)', () => {
    expect(unsupportedTarget('mqtt://127.0.0.1:1883')).toBeUndefined();
    expect(unsupportedTarget('mqtts://h:8883')).toMatch(/plain TCP/);
    expect(unsupportedTarget('ws://h/mqtt')).toMatch(/ws:\/\//);
  });
});
