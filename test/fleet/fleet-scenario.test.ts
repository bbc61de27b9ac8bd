import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FleetScenarioError, fleetDir, loadFleetScenario, parseFleetScenario } from '../../src/fleet/index.ts';

const base = {
  name: 'tiny',
  description: 'test',
  seed: 1,
  duration_ms: 500,
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
    [
      { ...base, devices: { ...base.devices, publish: { ...base.devices.publish, topic: 'f/+/t' } } },
      'devices.publish.topic',
    ],
    [{ ...base, duration_ms: 10_000_000 }, 'duration_ms'],
    [{ ...base, checks: ['nope'] }, 'checks[0]'],
    [{ ...base, bogus: 1 }, 'bogus'],
    [
      {
        ...base,
        devices: {
          ...base.devices,
          count: 1_000_000,
          publish: { ...base.devices.publish, interval_ms: 5, max_messages: 100_000 },
        },
        duration_ms: 3_600_000,
      },
      'devices.publish.max_messages',
    ],
    [{ ...base, link: { lte: 0.5, '3g': 0.2 } }, 'link'],
    [{ ...base, thresholds: ['p99<<5'] }, 'thresholds[0]'],
    [{ ...base, link: 'flaky-cellullar' }, 'link'],
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

  it('reports every error at once, a misspelt key as an unknown key with a close match (issue 9)', () => {
    const data = {
      ...base,
      bogus: 1,
      checks: ['nope'],
      devices: { ...base.devices, publish: { topic: 'f/{id}/t', qos: 3, interval: 50 } },
    };
    let err: FleetScenarioError | undefined;
    try {
      parseFleetScenario(data, 'fleets/bad.yaml');
    } catch (e) {
      err = e as FleetScenarioError;
    }
    expect(err).toBeInstanceOf(FleetScenarioError);
    const lines = err!.message.split('\n');
    expect(lines).toContain(
      'fleets/bad.yaml: devices.publish.interval: unknown key `interval` (did you mean `interval_ms`?)',
    );
    expect(lines).toContain('fleets/bad.yaml: bogus: unknown key `bogus`');
    expect(lines).toContain('fleets/bad.yaml: devices.publish.qos: expected a QoS: 0, 1 or 2');
    expect(lines.some((l) => l.startsWith('fleets/bad.yaml: checks[0]: unknown checker'))).toBe(true);
    // the typo is not reported a second time as a missing interval_ms
    expect(lines.some((l) => l.includes('interval_ms:'))).toBe(false);
    expect(err!.issues).toHaveLength(4);
  });

  it('a key that is really missing is named as missing', () => {
    const { description: _d, ...rest } = base;
    expect(() => parseFleetScenario(rest, 'x.yaml')).toThrow('x.yaml: description: required key is missing');
  });

  it('reports unreadable and non-YAML files', () => {
    expect(() => loadFleetScenario('/nonexistent/x.yaml')).toThrow(/x\.yaml: cannot read/);
  });
});
