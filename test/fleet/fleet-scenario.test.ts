import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FleetScenarioError, fleetDir, loadFleetScenario, parseFleetScenario } from '../../src/fleet/index.ts';

const base = {
  name: 'tiny', description: 'test', seed: 1, duration_ms: 500,
  devices: { count: 2, publish: { topic: 'f/{id}/t', qos: 1, interval_ms: 50, max_messages: 5 } },
};

describe('fleet scenarios', () => {
  it('every file in scenarios/fleets validates', () => {
    const files = readdirSync(fleetDir).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(loadFleetScenario(f.replace(/\.yaml$/, '')).name).toBe(f.replace(/\.yaml$/, ''));
  });

  it('fills defaults', () => {
    const s = parseFleetScenario(base, 'x.yaml');
    expect(s.version).toBe('3.1.1');
    expect(s.devices.persistent).toBe(true);
    expect(s.checks).toContain('qos1-at-least-once');
  });

  it.each([
    [{ ...base, devices: { ...base.devices, count: 0 } }, 'devices.count'],
    [{ ...base, devices: { ...base.devices, publish: { ...base.devices.publish, qos: 3 } } }, 'devices.publish.qos'],
    [{ ...base, devices: { ...base.devices, publish: { ...base.devices.publish, topic: 'f/+/t' } } }, 'devices.publish.topic'],
    [{ ...base, duration_ms: 10_000_000 }, 'duration_ms'],
    [{ ...base, checks: ['nope'] }, 'checks.0'],
    [{ ...base, bogus: 1 }, ''],
    [{ ...base, devices: { ...base.devices, count: 500, publish: { ...base.devices.publish, max_messages: 10_000 } } }, 'devices.publish.max_messages'],
  ])('names the file and key path of a bad value (%#)', (data, path) => {
    try {
      parseFleetScenario(data, 'fleets/bad.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FleetScenarioError);
      expect((e as FleetScenarioError).path).toBe(path);
      expect((e as Error).message).toMatch(/^fleets\/bad\.yaml: /);
    }
  });

  it('reports unreadable and non-YAML files', () => {
    expect(() => loadFleetScenario('/nonexistent/x.yaml')).toThrow(/x\.yaml: cannot read/);
  });
});
