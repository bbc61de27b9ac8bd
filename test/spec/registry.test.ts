import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IDS_3_1_1, IDS_5_0, REGISTRY, findStatement, statementOf, statementsOf } from '../../src/spec/index.ts';
import type { SpecVersion, Statement } from '../../src/spec/index.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const sharedSpec = resolve(root, '../shared/spec');

const LISTS: Record<SpecVersion, string> = {
  '3.1.1': 'mqtt-3.1.1-statement-ids.txt',
  '5.0': 'mqtt-5.0-statement-ids.txt',
};
const EXPECTED_COUNT: Record<SpecVersion, number> = { '3.1.1': 141, '5.0': 251 };
const VERSIONS: SpecVersion[] = ['3.1.1', '5.0'];
const LEVELS = new Set(['MUST', 'MUST NOT', 'SHOULD', 'SHOULD NOT', 'MAY']);
const ACTORS = new Set(['server', 'client', 'both']);

/** The IDs of a list file: every line that starts with "MQTT-" (the 5.0 file has a header first). */
function readIds(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.startsWith('MQTT-'));
}

function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  return [...new Set(ids.filter((id) => seen.has(id) || !seen.add(id)))];
}

/** Compares two ID lists as sets and says exactly which IDs differ. */
function diffIds(label: string, actual: readonly string[], expected: readonly string[]): string[] {
  const a = new Set(actual);
  const e = new Set(expected);
  const problems: string[] = [];
  const missing = expected.filter((id) => !a.has(id));
  const extra = actual.filter((id) => !e.has(id));
  const dup = duplicates(actual);
  if (missing.length) problems.push(`${label}: missing ${missing.join(', ')}`);
  if (extra.length) problems.push(`${label}: not in the list ${extra.join(', ')}`);
  if (dup.length) problems.push(`${label}: duplicated ${dup.join(', ')}`);
  return problems;
}

/** "MQTT-3.1.2-4" -> "3.1.2"; trailing ".0" parts are optional ("3.1.0" and "3.1" both match). */
const trimZeros = (section: string): string => section.replace(/(\.0)+$/, '');
const sectionOfId = (id: string): string => id.replace(/^MQTT-/, '').replace(/-\d+$/, '');

/**
 * The project's lists hold the corrected spellings of the IDs Appendix B mistypes (3.1.1:
 * MQTT-3.1.2.7 and MQTT-3-8.3-4; 5.0: MQTT-4.2.0-1), so their sections derive like any other;
 * these are the extra spellings of their section we also accept.
 */
const SECTION_ALIASES: Record<string, string[]> = {
  '3.1.1|MQTT-3.1.2-7': ['3.1.2'],
  '3.1.1|MQTT-3.8.3-4': ['3.8.3'],
  '5.0|MQTT-4.2-1': ['4.2', '4.2.0'],
};

const byVersion = (v: SpecVersion): Statement[] => REGISTRY.filter((s) => s.version === v);

describe('statement registry: ID lists', () => {
  for (const v of VERSIONS) {
    const listIds = readIds(resolve(root, 'src/spec/lists', LISTS[v]));

    it(`MQTT ${v}: the project list has ${EXPECTED_COUNT[v]} distinct IDs`, () => {
      expect(duplicates(listIds), 'duplicated IDs in the list').toEqual([]);
      expect(listIds.length).toBe(EXPECTED_COUNT[v]);
    });

    it(`MQTT ${v}: the registry holds exactly the listed IDs`, () => {
      const ids = byVersion(v).map((s) => s.id);
      expect(diffIds(`registry ${v}`, ids, listIds)).toEqual([]);
      expect(ids.length).toBe(EXPECTED_COUNT[v]);
      expect(statementsOf(v).length).toBe(EXPECTED_COUNT[v]);
    });

    it(`MQTT ${v}: the registry keeps the list order`, () => {
      const ids = byVersion(v).map((s) => s.id);
      const firstOff = ids.findIndex((id, i) => id !== listIds[i]);
      expect(firstOff, `first out-of-order entry: ${ids[firstOff]} where the list has ${listIds[firstOff]}`).toBe(-1);
    });

    it(`MQTT ${v}: the typed ID array equals the list`, () => {
      const typed: readonly string[] = v === '3.1.1' ? IDS_3_1_1 : IDS_5_0;
      expect(diffIds(`ids-*.ts ${v}`, typed, listIds)).toEqual([]);
      expect([...typed]).toEqual(listIds);
    });

    it(`MQTT ${v}: lookups find every statement`, () => {
      for (const id of listIds) {
        expect(findStatement(v, id)?.id, id).toBe(id);
        expect(statementOf({ version: v, id } as never).version).toBe(v);
      }
      expect(findStatement(v, 'MQTT-9.9.9-9')).toBeUndefined();
    });
  }
});

describe.runIf(existsSync(sharedSpec))('statement registry: lists match the shared spec copies', () => {
  for (const v of VERSIONS) {
    it(`MQTT ${v}: src/spec/lists equals ${LISTS[v]} in ../shared/spec`, () => {
      const ours = readIds(resolve(root, 'src/spec/lists', LISTS[v]));
      const theirs = readIds(resolve(sharedSpec, LISTS[v]));
      expect(diffIds(`project list ${v} vs shared`, ours, theirs)).toEqual([]);
      expect(ours).toEqual(theirs);
    });
  }
});
if (!existsSync(sharedSpec)) {
  console.warn(`registry.test: ${sharedSpec} is absent, so the lists are not compared with the shared spec copies`);
}

describe('statement registry: entries', () => {
  it('every entry is well formed', () => {
    const problems: string[] = [];
    for (const s of REGISTRY) {
      const key = `${s.version}|${s.id}`;
      if (!VERSIONS.includes(s.version)) problems.push(`${key}: bad version`);
      if (!LEVELS.has(s.level)) problems.push(`${key}: bad level ${s.level}`);
      if (!ACTORS.has(s.actor)) problems.push(`${key}: bad actor ${s.actor}`);
      const summary = s.summary.trim();
      if (summary.length === 0) problems.push(`${key}: empty summary`);
      if (s.summary.length >= 140) problems.push(`${key}: summary is ${s.summary.length} chars (limit 139)`);
      if (/\n/.test(s.summary)) problems.push(`${key}: summary spans lines`);
      const t = s.testability;
      if (!['network', 'server-internal', 'client-only'].includes(t.kind)) problems.push(`${key}: bad testability`);
      if (t.kind !== 'network' && !(t.reason && t.reason.trim().length >= 10)) {
        problems.push(`${key}: ${t.kind} without a real reason`);
      }
      if (!/^\d+(\.\d+)*$/.test(s.section)) problems.push(`${key}: section "${s.section}" is not dotted numbers`);
      const allowed = [sectionOfId(s.id), ...(SECTION_ALIASES[key] ?? [])].map(trimZeros);
      if (!allowed.includes(trimZeros(s.section))) {
        problems.push(`${key}: section ${s.section} does not match the ID's section ${sectionOfId(s.id)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('client-only statements bind the client', () => {
    // A statement that binds the server cannot be client-only; "both" may be, if the server side is not observable.
    const wrong = REGISTRY.filter((s) => s.testability.kind === 'client-only' && s.actor === 'server');
    expect(wrong.map((s) => `${s.version}|${s.id}`)).toEqual([]);
  });

  it('server-internal statements do not bind only the client', () => {
    const wrong = REGISTRY.filter((s) => s.testability.kind === 'server-internal' && s.actor === 'client');
    expect(wrong.map((s) => `${s.version}|${s.id}`)).toEqual([]);
  });
});

/** Lower-cases and strips markup, line numbers' separators and typographic quotes so copies are found. */
function normalise(text: string): string {
  return text
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/[*_~`|#[\]]/g, ' ')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

const WINDOW = 60;
const SPEC_TEXTS: Record<SpecVersion, string[]> = {
  '3.1.1': ['mqtt-v3.1.1-os.md'],
  '5.0': ['mqtt-v5.0.md', 'mqtt-5.0-statements.md'],
};

describe.runIf(existsSync(sharedSpec))('statement registry: summaries are our own words', () => {
  for (const v of VERSIONS) {
    it(`MQTT ${v}: no summary shares a ${WINDOW}-char run with the spec text`, () => {
      // Every WINDOW-char slice of every summary, looked up while sliding over the spec text once.
      const slices = new Map<string, string[]>();
      for (const s of byVersion(v)) {
        const text = normalise(s.summary);
        for (let i = 0; i + WINDOW <= text.length; i++) {
          const slice = text.slice(i, i + WINDOW);
          slices.set(slice, [...(slices.get(slice) ?? []), s.id]);
        }
      }
      const copied = new Map<string, string>(); // ID -> first copied run found
      for (const file of SPEC_TEXTS[v]) {
        const spec = normalise(readFileSync(resolve(sharedSpec, file), 'utf8'));
        for (let i = 0; i + WINDOW <= spec.length; i++) {
          const hit = slices.get(spec.slice(i, i + WINDOW));
          if (hit)
            for (const id of hit)
              if (!copied.has(id)) copied.set(id, `${id} copies ${file}: "${spec.slice(i, i + WINDOW)}"`);
        }
      }
      expect([...copied.values()]).toEqual([]);
    });
  }
});
