import { describe, expect, it } from 'vitest';
import { computeCoverage, formatCoverage, interpretTags, scanFeatureText } from '../../src/report/index.ts';
import type { Statement } from '../../src/spec/index.ts';

const tag = (name: string, where = 'f.feature:1') => ({ name, where });

describe('interpretTags', () => {
  it('reads the version and resolves statements in that version', () => {
    const t = interpretTags([tag('@v5'), tag('@MQTT-3.3.1-5'), tag('@slow'), tag('@requires:retain')], 's');
    expect(t.version).toBe('5.0');
    expect(t.statements.map((s) => `${s.version} ${s.id}`)).toEqual(['5.0 MQTT-3.3.1-5']);
    expect(t.requires).toEqual(['retain']);
    expect(t.advisory).toBe(false);
    expect(interpretTags([tag('@v3.1.1'), tag('@MQTT-3.3.1-5'), tag('@advisory')], 's').advisory).toBe(true);
  });
  it('names the file and line of an unknown statement tag', () => {
    // MQTT-3.1.3-9 exists in 5.0 but 3.1.1 numbers its client id rules differently: pick one only 5.0 has.
    expect(() =>
      interpretTags([tag('@v3.1.1'), tag('@MQTT-3.1.2-30', 'features/x.feature:7')], 'scenario "x"'),
    ).toThrow(/@MQTT-3\.1\.2-30 \(features\/x\.feature:7\) is not a statement of MQTT 3\.1\.1/);
    expect(() => interpretTags([tag('@v5'), tag('@MQTT-9.9.9-9')], 's')).toThrow(/not a statement of MQTT 5\.0/);
  });
  it('demands exactly one version tag and at least one statement', () => {
    expect(() => interpretTags([tag('@MQTT-3.3.1-5')], 's')).toThrow(/no version tag/);
    expect(() => interpretTags([tag('@v5'), tag('@v3.1.1'), tag('@MQTT-3.3.1-5')], 's')).toThrow(
      /more than one version tag/,
    );
    expect(() => interpretTags([tag('@v5.0'), tag('@MQTT-3.3.1-5')], 's')).toThrow(/unknown version tag @v5\.0/);
    expect(() => interpretTags([tag('@v5')], 's')).toThrow(/no statement tag/);
  });
});

const FEATURE = `@conn
Feature: f
  Background:
    Given x

  @v5 @MQTT-3.1.0-2
  Scenario: plain
    Given "@not-a-tag" in a step
    """
    @MQTT-9.9.9-9 inside a doc string
    """

  @MQTT-3.2.0-1
  Scenario Outline: outline
    Given <v>

    @v3.1.1 @MQTT-3.1.4-4
    Examples: old
      | v |
      | 1 |

    @v5
    Examples:
      | v |
      | 2 |

  Rule: r
    @v5 @MQTT-3.3.1-5
    Example: in a rule
      Given y
`;

describe('scanFeatureText', () => {
  it('gives every scenario and Examples block its inherited tags with their lines', () => {
    const s = scanFeatureText(FEATURE, 'a.feature');
    expect(s.map((x) => [x.line, x.tags.map((t) => t.name).join(' ')])).toEqual([
      [7, '@conn @v5 @MQTT-3.1.0-2'],
      [18, '@conn @MQTT-3.2.0-1 @v3.1.1 @MQTT-3.1.4-4'],
      [23, '@conn @MQTT-3.2.0-1 @v5'],
      [29, '@conn @v5 @MQTT-3.3.1-5'],
    ]);
    expect(s[1].tags[3].where).toBe('a.feature:17');
  });
});

describe('computeCoverage', () => {
  const reg: Statement[] = [
    {
      id: 'MQTT-3.1.0-2',
      version: '5.0',
      section: '3.1',
      level: 'MUST',
      actor: 'server',
      summary: 'a',
      testability: { kind: 'network' },
    },
    {
      id: 'MQTT-3.2.0-1',
      version: '5.0',
      section: '3.2',
      level: 'MUST',
      actor: 'server',
      summary: 'b',
      testability: { kind: 'network' },
    },
    {
      id: 'MQTT-3.3.1-5',
      version: '5.0',
      section: '3.3',
      level: 'MUST',
      actor: 'server',
      summary: 'c',
      testability: { kind: 'network' },
    },
    {
      id: 'MQTT-3.1.0-1',
      version: '5.0',
      section: '3.1',
      level: 'MUST',
      actor: 'client',
      summary: 'd',
      testability: { kind: 'client-only', reason: 'x' },
    },
  ] as Statement[];
  it('counts covered, excluded and uncovered network statements per version', () => {
    const scenarios = scanFeatureText(FEATURE, 'a.feature');
    const r = computeCoverage(scenarios, [{ version: '5.0', id: 'MQTT-3.3.1-5', reason: 'covered anyway' }], reg);
    const v5 = r.versions.find((v) => v.version === '5.0')!;
    expect(v5.total).toBe(3);
    expect(v5.covered.map((c) => c.statement.id).sort()).toEqual(['MQTT-3.1.0-2', 'MQTT-3.2.0-1', 'MQTT-3.3.1-5']);
    expect(v5.percent).toBe(100);
    // The exclusion names a covered statement: that is reported so it gets removed.
    expect(r.errors.join('\n')).toMatch(/MQTT-3\.3\.1-5 \(MQTT 5\.0\) is covered/);
  });
  it('lists uncovered and excluded statements and rejects exclusions of non-network statements', () => {
    const r = computeCoverage(
      [],
      [
        { version: '5.0', id: 'MQTT-3.2.0-1', reason: 'needs two brokers' },
        { version: '5.0', id: 'MQTT-3.1.0-1', reason: 'nope' },
      ],
      reg,
    );
    const v5 = r.versions.find((v) => v.version === '5.0')!;
    expect(v5.uncovered.map((s) => s.id)).toEqual(['MQTT-3.1.0-2', 'MQTT-3.3.1-5']);
    expect(v5.excluded.map((x) => x.statement.id)).toEqual(['MQTT-3.2.0-1']);
    expect(r.errors.join('\n')).toMatch(/MQTT-3\.1\.0-1 \(MQTT 5\.0\) is not network-testable/);
    expect(formatCoverage(r)).toMatch(/MQTT 5\.0: 0\/3 .*\(0%\), 1 excluded, 2 uncovered/);
  });
  it('does not count @negative-control scenarios as coverage', () => {
    const text =
      'Feature: x\n  @v5 @MQTT-3.1.0-2\n  Scenario: real\n\n  @v5 @negative-control @MQTT-3.2.0-1\n  Scenario: control\n';
    const r = computeCoverage(scanFeatureText(text, 'n.feature'), [], reg);
    const v5 = r.versions.find((v) => v.version === '5.0')!;
    expect(v5.covered.map((c) => c.statement.id)).toEqual(['MQTT-3.1.0-2']);
    expect(v5.uncovered.map((s) => s.id)).toEqual(['MQTT-3.2.0-1', 'MQTT-3.3.1-5']);
    expect(
      interpretTags([{ name: '@v5' }, { name: '@MQTT-3.1.0-2' }, { name: '@negative-control' }], 's').negativeControl,
    ).toBe(true);
  });
  it('reports tag errors instead of counting bad scenarios', () => {
    const r = computeCoverage(scanFeatureText('Feature: x\n  @MQTT-3.1.0-2\n  Scenario: s\n', 'b.feature'), [], reg);
    expect(r.errors[0]).toMatch(/b\.feature:3 "s".*no version tag/s);
  });
});
