import { findStatement } from '../spec/index.ts';
import type { SpecVersion, Statement } from '../spec/index.ts';

/**
 * Tag conventions of the conformance suite:
 *   @v3.1.1 / @v5     the protocol version a scenario (or an Examples block) runs at;
 *                     exactly one per scenario after inheritance from Feature / Rule / Examples.
 *   @MQTT-3.3.1-5     a normative statement the scenario checks, read in that version.
 *   @advisory         the scenario checks a recommendation (SHOULD / MAY wording) around the
 *                     cited statements: a failure is reported as an advisory finding, not as a
 *                     failed statement, and does not fail the run.
 *   @negative-control the scenario runs its own deliberately broken broker to show that a
 *                     checker catches it: it must pass, but it is no evidence about the
 *                     target, so verdicts and coverage ignore it.
 *   @audit            a security-audit scenario (features/security): it checks the audit tool
 *                     against private brokers, cites no statement, and like @negative-control
 *                     is no evidence about the target's compliance.
 *   @requires:<cap>   a capability the target must offer (qos1, qos2, retain,
 *                     wildcardSubscriptions, sharedSubscriptions, subscriptionIdentifiers,
 *                     topicAliases), otherwise the scenario is not applicable.
 * Any other tag is free for people to use.
 */
export const VERSION_TAGS: Readonly<Record<string, SpecVersion>> = { '@v3.1.1': '3.1.1', '@v5': '5.0' };

export const NEGATIVE_CONTROL_TAG = '@negative-control';
export const AUDIT_TAG = '@audit';

export interface TagRef {
  name: string;
  /** Where the tag is written, "features/x.feature:12", for messages. */
  where?: string;
}

export interface ScenarioTags {
  version: SpecVersion;
  statements: Statement[];
  requires: string[];
  /** Failures are advisory: tagged @advisory, or every statement is SHOULD / MAY. */
  advisory: boolean;
  /** Tagged @negative-control: tests the harness against its own broken broker, not the target. */
  negativeControl: boolean;
}

export class TagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TagError';
  }
}

/** Interprets a scenario's effective tags; throws TagError naming every problem and where it is. */
export function interpretTags(tags: readonly TagRef[], scenario: string): ScenarioTags {
  const problems: string[] = [];
  const versions = [...new Set(tags.filter((t) => t.name in VERSION_TAGS).map((t) => VERSION_TAGS[t.name]))];
  for (const t of tags) {
    if (/^@v\d/i.test(t.name) && !(t.name in VERSION_TAGS)) {
      problems.push(`unknown version tag ${t.name}${at(t)} (use @v3.1.1 or @v5)`);
    }
  }
  if (versions.length !== 1) {
    problems.push(
      versions.length === 0
        ? 'no version tag (@v3.1.1 or @v5) on the scenario, its Examples, Rule or Feature'
        : `more than one version tag (${versions.join(', ')}); use a Scenario Outline with one Examples block per version`,
    );
  }
  const version = versions[0];
  const statements: Statement[] = [];
  const requires: string[] = [];
  for (const t of tags) {
    if (/^@mqtt-/i.test(t.name)) {
      const id = t.name.slice(1);
      if (!version) continue;
      const s = findStatement(version, id);
      if (!s) problems.push(`${t.name}${at(t)} is not a statement of MQTT ${version}`);
      else if (!statements.includes(s)) statements.push(s);
    } else if (t.name.startsWith('@requires:')) {
      requires.push(t.name.slice('@requires:'.length));
    }
  }
  const audit = tags.some((t) => t.name === AUDIT_TAG);
  if (version && statements.length === 0 && problems.length === 0 && !audit) {
    problems.push('no statement tag (@MQTT-x.y.z-n): every scenario must say which statements it checks');
  }
  if (problems.length > 0) throw new TagError(`bad tags on ${scenario}:\n  - ${problems.join('\n  - ')}`);
  const advisory = tags.some((t) => t.name === '@advisory') || allAdvisory(statements);
  const negativeControl = audit || tags.some((t) => t.name === NEGATIVE_CONTROL_TAG);
  return { version, statements, requires, advisory, negativeControl };
}

const at = (t: TagRef): string => (t.where ? ` (${t.where})` : '');

/** True when every statement is a recommendation or permission, so a failure is not a MUST failure. */
export function allAdvisory(statements: readonly Statement[]): boolean {
  return (
    statements.length > 0 &&
    statements.every((s) => s.level === 'SHOULD' || s.level === 'SHOULD NOT' || s.level === 'MAY')
  );
}
