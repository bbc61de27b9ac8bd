/** A fuzz finding as hex and as a Gherkin scenario in the suite's step vocabulary (features/README.md). */
import type { StatementRef } from '../spec/types.ts';
import { DISCONNECT_CODES, type Expectation, type FindingKind } from './oracle.ts';

export const toHex = (b: Buffer): string => b.toString('hex').replace(/(..)(?!$)/g, '$1 ');

export interface RenderInput {
  kind: FindingKind;
  level: 4 | 5;
  frames: readonly Buffer[];
  statements: readonly StatementRef[];
  expectation: Expectation;
  title: string;
}

/** The frames as hex lines, one per frame. */
export function hexLines(frames: readonly Buffer[]): string[] {
  return frames.map((f, i) => `${String(i).padStart(3)}: ${toHex(f)}`);
}

/** A scenario that replays the frames and asserts what the spec requires. */
export function gherkin(r: RenderInput): string {
  const v = r.level === 5 ? '5' : '3.1.1';
  const own = r.statements.filter((s) => s.version === (r.level === 5 ? '5.0' : '3.1.1')).map((s) => `@${s.id}`);
  // Every scenario cites a statement of its version: the close rule when the finding cites none of it.
  if (own.length === 0) own.push(r.level === 5 ? '@MQTT-4.13.1-1' : '@MQTT-4.8.0-1');
  const tags = [`@v${v}`, '@fuzz', ...new Set(own)];
  const lines = [
    `  ${tags.join(' ')}`,
    `  Scenario: ${r.title.replace(/\n/g, ' ')}`,
    `    Given client "A" opened a network connection with MQTT ${v}`,
    ...r.frames.map((f) => `    When "A" sends raw "${toHex(f)}"`),
  ];
  const e = r.expectation;
  if (r.kind === 'crash') {
    lines.push(
      '    Then client "B" connected',
      '    And "B" sends PINGREQ',
      '    And "B" receives PINGRESP within 2 s',
    );
  } else if (e.kind === 'violation') {
    // The frames were shrunk with the PINGREQ probe after them: it may complete the last frame.
    lines.push('    And "A" sends raw "c0 00"');
    const codes = [...new Set([e.reasonCode ?? 0x81, 0x81, 0x82])]
      .filter((c) => DISCONNECT_CODES.has(c))
      .map(hexCode)
      .join(' or ');
    lines.push(
      r.level === 5 && !e.beforeConnack
        ? `    Then the connection of "A" is closed within 2 s, with reason code ${codes} if the broker sends one`
        : '    Then the connection of "A" is closed within 2 s',
    );
  } else {
    lines.push('    And "A" sends PINGREQ');
    for (const a of e.answers)
      lines.push(`    Then "A" receives ${a.type.toUpperCase()} packet id ${a.packetId} within 2 s`);
    lines.push('    Then "A" receives PINGRESP within 2 s');
  }
  return lines.join('\n');
}

const hexCode = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;
