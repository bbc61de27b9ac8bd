import { readFileSync } from 'node:fs';
import { AstBuilder, GherkinClassicTokenMatcher, Parser, compile } from '@cucumber/gherkin';
import { IdGenerator } from '@cucumber/messages';
import { describe, expect, it } from 'vitest';
import { ScenarioAccount } from '../../steps/support/scenario-account.ts';
import { interpretTags, pickleTagRefs } from '../../src/report/index.ts';

const URI = 'features/data-representation/utf8-strings.feature';

/** The pickles of the real feature file, with the document they came from. */
function pickles() {
  const newId = IdGenerator.incrementing();
  const doc = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher()).parse(readFileSync(URI, 'utf8'));
  const gherkinDocument = { ...doc, uri: URI };
  return compile(gherkinDocument, URI, newId).map((pickle) => ({ pickle, gherkinDocument }));
}

/**
 * A 3.1.1 broker that refuses a CONNECT with an ill-formed user name by CONNACK 0x04, then closes
 * (RabbitMQ 3.10): the close that MQTT-1.5.3-1 asks for happened; only the CONNACK breaks
 * MQTT-3.1.4-1 ("close without sending a CONNACK").
 */
describe('utf8-strings: a refused 3.1.1 CONNECT blames only the statement its CONNACK breaks', () => {
  const rows = pickles().filter(
    ({ pickle }) =>
      pickle.name.startsWith('a CONNECT whose user name') && pickle.tags.some((t) => t.name === '@v3.1.1'),
  );

  it('finds the 3.1.1 CONNECT rows', () => {
    expect(rows.length).toBe(3);
  });

  for (const { pickle, gherkinDocument } of rows) {
    it(`${pickle.name}: CONNACK then close fails MQTT-3.1.4-1 only`, () => {
      const tags = interpretTags(pickleTagRefs(pickle, gherkinDocument), pickle.name);
      const a = ScenarioAccount.plan(pickle, gherkinDocument, tags.version, tags.statements, tags.advisory);
      const [open, send, closed, reason] = pickle.steps;
      expect(closed.text).toBe('the connection of "A" is closed within 2 s');
      expect(reason.text).toMatch(/with reason code 0x81 if the broker sends one$/);
      for (const s of [open, send, closed]) {
        a.startStep(s.id);
        a.stepPassed();
      }
      a.startStep(reason.id);
      a.stepEnded('failed', { statements: a.stepStatements, detail: 'CONNACK 0x04 before the close' });
      const outcome = Object.fromEntries(a.finish().checks.map((c) => [c.id, c.outcome]));
      const nul = pickle.name.includes('U+0000');
      expect(outcome).toEqual({ [nul ? 'MQTT-1.5.3-2' : 'MQTT-1.5.3-1']: 'passed', 'MQTT-3.1.4-1': 'failed' });
    });

    it(`${pickle.name}: staying open fails both`, () => {
      const tags = interpretTags(pickleTagRefs(pickle, gherkinDocument), pickle.name);
      const a = ScenarioAccount.plan(pickle, gherkinDocument, tags.version, tags.statements, tags.advisory);
      const closed = pickle.steps[2];
      a.startStep(closed.id);
      a.stepEnded('failed', { statements: a.stepStatements, detail: 'connection still open after 2000 ms' });
      expect(a.finish().checks.every((c) => c.outcome === 'failed')).toBe(true);
    });
  }
});
