import { describe, expect, it } from 'vitest';
import { coverageByVersion, formatCoverage, parseCoverageMap } from '../../src/cli/coverage-command.ts';
import { REGISTRY } from '../../src/spec/index.ts';

const netIds = (v: '3.1.1' | '5.0') =>
  REGISTRY.filter((s) => s.version === v && s.testability.kind === 'network').map((s) => s.id);

describe('coverage command', () => {
  it('counts network-testable statements per version without a map', () => {
    const rows = coverageByVersion(null);
    expect(rows.map((r) => r.version)).toEqual(['3.1.1', '5.0']);
    expect(rows[0].network).toBe(netIds('3.1.1').length);
    expect(rows[1].network).toBe(netIds('5.0').length);
    expect(rows[0].statements).toBe(REGISTRY.filter((s) => s.version === '3.1.1').length);
    expect(rows.every((r) => r.covered === null)).toBe(true);
    expect(formatCoverage(rows, 'x.json', null).at(-1)).toContain('no coverage map at x.json');
  });

  it('reads both map shapes and counts only network statements as covered', () => {
    const [a, b] = netIds('3.1.1');
    const clientOnly = REGISTRY.find((s) => s.version === '3.1.1' && s.testability.kind === 'client-only')!;
    const byVersion = parseCoverageMap({ '3.1.1': [a, b, clientOnly.id], '5.0': { [netIds('5.0')[0]]: ['f'] } }, 'm');
    const refs = parseCoverageMap(
      {
        covered: [
          { version: '3.1.1', id: a },
          { version: '3.1.1', id: 'MQTT-9.9.9-9' },
        ],
      },
      'm',
    );
    const rows = coverageByVersion(byVersion);
    expect(rows[0].covered).toBe(2);
    expect(rows[0].uncovered).not.toContain(a);
    expect(rows[0].uncovered.length).toBe(netIds('3.1.1').length - 2);
    expect(rows[1].covered).toBe(1);
    expect(coverageByVersion(refs)[0].covered).toBe(1);
    expect(refs.unknown).toEqual(['MQTT-9.9.9-9 (MQTT 3.1.1)']);
  });

  it('names the file and the problem for a malformed map', () => {
    expect(() => parseCoverageMap({ '4.0': [] }, 'map.json')).toThrow(/map\.json: unknown version key "4\.0"/);
    expect(() => parseCoverageMap({ '5.0': 7 }, 'map.json')).toThrow(/map\.json: "5\.0" must be a list/);
    expect(() => parseCoverageMap([{ id: 'MQTT-1.5.4-1' }], 'map.json')).toThrow(/map\.json: entry 0/);
    expect(() => parseCoverageMap('nope', 'map.json')).toThrow(/map\.json: expected an object/);
  });
});
