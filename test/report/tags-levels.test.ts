import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AstBuilder, GherkinClassicTokenMatcher, Parser, compile } from '@cucumber/gherkin';
import { IdGenerator, type GherkinDocument, type Pickle } from '@cucumber/messages';
import { describe, expect, it } from 'vitest';
import { commentsAbove, interpretTags, isMust, nodeLine, pickleTagRefs } from '../../src/report/index.ts';
import { findStatement, type Level, type SpecVersion } from '../../src/spec/index.ts';

/**
 * Levels right (issue 10, item 6; features/README.md rule 8): a scenario whose checked statements
 * are all recommendations (SHOULD / SHOULD NOT / MAY) must say so with @advisory; and a step
 * annotation (`# checks MQTT-…`, `# checks if sent MQTT-…`) may only name statements the scenario
 * (one of its Examples) is tagged with, so each failing step blames a statement of the scenario.
 * The statements' levels come from the registry (src/spec: findStatement(version, id).level).
 */

function featureFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? featureFiles(p) : p.endsWith('.feature') ? [p] : [];
  });
}

function pickles(text: string, uri: string): { doc: GherkinDocument; pickles: readonly Pickle[] } {
  const newId = IdGenerator.incrementing();
  const doc = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher()).parse(text);
  return { doc: { ...doc, uri }, pickles: compile({ ...doc, uri }, uri, newId) };
}

const ANNOTATION = /^checks\s+(?:if sent\s+)?(.+)$/i;

type LevelOf = (version: SpecVersion, id: string) => Level | undefined;
const registryLevel: LevelOf = (version, id) => findStatement(version, id)?.level;

/** Every level problem of one feature file's text, one line each (levels from `levelOf`). */
function levelProblems(text: string, uri: string, levelOf: LevelOf = registryLevel): string[] {
  const problems: string[] = [];
  const { doc, pickles: ps } = pickles(text, uri);
  // The tags of every pickle of the same scenario (an outline's Examples), by scenario node id.
  const tagsOfScenario = new Map<string, Set<string>>();
  for (const p of ps) {
    const set = tagsOfScenario.get(p.astNodeIds[0]) ?? new Set<string>();
    for (const t of p.tags) set.add(t.name.slice(1));
    tagsOfScenario.set(p.astNodeIds[0], set);
  }
  for (const p of ps) {
    const refs = pickleTagRefs(p, doc);
    if (refs.some((t) => t.name === '@negative-control' || t.name === '@audit')) continue;
    const line = nodeLine(doc, p.astNodeIds[p.astNodeIds.length - 1]);
    const where = `${uri}:${line} "${p.name}"`;
    let tags;
    try {
      tags = interpretTags(refs, where);
    } catch (e) {
      problems.push(String((e as Error).message));
      continue;
    }
    const explicitAdvisory = refs.some((t) => t.name === '@advisory');
    const levels = tags.statements.map((s) => ({ id: s.id, level: levelOf(s.version, s.id) ?? s.level }));
    if (!explicitAdvisory && levels.every((s) => !isMust(s.level))) {
      problems.push(
        `${where} (MQTT ${tags.version}) checks only recommendations (${levels.map((s) => `${s.id} ${s.level}`).join(', ')}) but is not @advisory`,
      );
    }
    for (const step of p.steps) {
      const l = nodeLine(doc, step.astNodeIds[0]);
      if (l === undefined) continue;
      for (const c of commentsAbove(doc, l)) {
        const m = ANNOTATION.exec(c);
        if (!m) continue;
        for (const id of m[1].split(/[\s,]+/).filter(Boolean)) {
          if (!findStatement('3.1.1', id) && !findStatement('5.0', id))
            problems.push(`${uri}:${l - 1} "# checks ${id}": not a statement of MQTT 3.1.1 or 5.0`);
          else if (!tagsOfScenario.get(p.astNodeIds[0])!.has(id))
            problems.push(`${uri}:${l - 1} "# checks ${id}": the scenario is not tagged @${id}`);
        }
      }
    }
  }
  return [...new Set(problems)];
}

describe('statement levels of the feature files', () => {
  it('flags a scenario that checks only SHOULD / MAY statements without @advisory', () => {
    const text = [
      'Feature: f',
      '  @v5 @MQTT-3.1.2-23',
      '  Scenario: a MAY only',
      '    Given client "A" connected',
      '',
      '  @v5 @advisory @MQTT-3.1.2-23',
      '  Scenario: an advisory MAY',
      '    Given client "A" connected',
      '',
      '  @v5 @MQTT-3.3.4-1 @MQTT-3.1.2-23',
      '  Scenario: a MUST and a MAY',
      '    Given client "A" connected',
      '    # checks MQTT-3.3.1-1',
      '    Then "A" receives PUBACK',
    ].join('\n');
    // The registry holds the numbered statements, all MUST / MUST NOT today; a recommendation is
    // simulated by giving one of them the level MAY.
    const levelOf: LevelOf = (v, id) => (id === 'MQTT-3.1.2-23' ? 'MAY' : registryLevel(v, id));
    expect(levelProblems(text, 'x.feature')).toHaveLength(1); // with the registry's levels: only the bad annotation
    const got = levelProblems(text, 'x.feature', levelOf);
    expect(got).toHaveLength(2);
    expect(got.join('\n')).not.toContain('an advisory MAY');
    expect(got.join('\n')).not.toContain('a MUST and a MAY');
    expect(got[0]).toContain('x.feature:3 "a MAY only"');
    expect(got[0]).toContain('not @advisory');
    expect(got[1]).toContain('"# checks MQTT-3.3.1-1": the scenario is not tagged');
  });

  it('every scenario of features/ has its level right', () => {
    const problems = featureFiles('features').flatMap((f) => levelProblems(readFileSync(f, 'utf8'), f));
    expect(problems).toEqual([]);
  });
});
