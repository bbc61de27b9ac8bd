import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The full text of each normative statement, read from the standards in the shared spec folder
 * (default ../shared/spec, or MQTT_SPEC_DIR): Appendix B's statement table of each standard, and
 * for 5.0 also mqtt-5.0-statements.md. Appendix B's typos are mapped to the registry's IDs.
 * A statement whose text cannot be found is absent from the map: pages then show the registry's
 * summary and say so.
 */
export interface SpecTexts {
  dir: string;
  /** `${version}|${id}` → full text. */
  texts: Map<string, string>;
  /** `${version}|${id}` → the paragraph of the standard's body that ends with the statement's ID (line numbers removed). */
  context: Map<string, string>;
  /** `${version}|${section}` → the section's title, e.g. "3.1" → "CONNECT – Connection Request". */
  sections: Map<string, string>;
  /** Files that were missing. */
  missing: string[];
}

/** Section titles from the table of contents ("3.1 CONNECT – … ...... 30") and the headings. */
function sectionTitles(md: string, version: string, into: Map<string, string>): void {
  const toc = /^(\d+(?:\.\d+)+)\s+(.+?)\s*\.{4,}\s*\d+\s*$/;
  const heading = /^#+\s+(?:\d+\s+)?\**\s*(\d+(?:\.\d+)+)\s+([^*]+?)\**\s*$/;
  for (const line of md.split('\n')) {
    const m = toc.exec(line) ?? heading.exec(line);
    const key = m ? `${version}|${m[1]}` : '';
    if (m && !into.has(key) && m[2]!.length < 90) into.set(key, m[2]!.replace(/\*+/g, '').trim());
  }
}

/** Appendix B spellings that differ from the registry's IDs. */
const ALIASES: Record<string, Record<string, string>> = {
  '3.1.1': { 'MQTT-3.1.2.7': 'MQTT-3.1.2-7', 'MQTT-3-8.3-4': 'MQTT-3.8.3-4' },
  '5.0': { 'MQTT-4.2.0-1': 'MQTT-4.2-1' },
};

const clean = (t: string): string =>
  t
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/\\\|/g, '|')
    .replace(/\s+/g, ' ')
    .trim();

function appendixRows(md: string, version: string, into: Map<string, string>): void {
  for (const m of md.matchAll(/^\|\s*\[(MQTT-[^\]]+)\]\s*\|(.*)\|\s*$/gm)) {
    const id = ALIASES[version]?.[m[1]!] ?? m[1]!;
    const key = `${version}|${id}`;
    if (!into.has(key)) into.set(key, clean(m[2]!));
  }
}

function headedStatements(md: string, version: string, into: Map<string, string>): void {
  const parts = md.split(/^## (MQTT-\S+)\s*$/m);
  for (let i = 1; i + 1 < parts.length; i += 2) {
    const id = ALIASES[version]?.[parts[i]!] ?? parts[i]!;
    const text = clean(parts[i + 1]!.split(/^#/m)[0]!);
    if (text) into.set(`${version}|${id}`, text);
  }
}

/**
 * The body paragraph citing each ID: the lines before the one holding "[ID]", back to a heading,
 * an earlier statement ID or eight lines, with the PDF's line numbers removed. Bounded; best effort.
 */
function bodyParagraphs(md: string, version: string, into: Map<string, string>): void {
  const lines = md.split('\n');
  // The PDF's line numbers: a leading run, and (in joined lines) the next few numbers after it.
  const stripNumbers = (l: string): string => {
    const first = Number(/^\s*>?\s*(\d{1,4})\s/.exec(l)?.[1] ?? NaN);
    let out = l.replace(/^\s*>?\s*(\d{1,4}\s+)+/, '');
    if (!Number.isNaN(first))
      out = out.replace(/(^|\s)(\d{1,4})(?=\s)/g, (m, sp: string, n: string) =>
        Number(n) >= first && Number(n) <= first + 12 ? sp : m,
      );
    return out.replace(/~~[^~]*~~/g, '');
  };
  const footer = (l: string): boolean => /Copyright © OASIS|Page \d+ of \d+|Standards Track Work Product/.test(l);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('|')) continue; // the appendix table
    for (const m of line.matchAll(/\[(MQTT-[0-9][^\]\s]*)\]/g)) {
      const id = ALIASES[version]?.[m[1]!] ?? m[1]!;
      const key = `${version}|${id}`;
      if (into.has(key)) continue;
      const parts = [stripNumbers(line.slice(0, m.index! + m[0].length))];
      for (let j = i - 1, n = 0; j >= 0 && n < 8; j--) {
        const l = lines[j]!;
        if (/^\s*$/.test(l) || /^\s*\d{1,4}\s*$/.test(l) || footer(l)) continue;
        if (/^#/.test(l) || /\*\*\d+(\.\d+)+/.test(l) || /\[MQTT-[^\]]+\]/.test(l) || l.startsWith('|')) break;
        parts.unshift(stripNumbers(l));
        n++;
      }
      const text = clean(parts.join(' ').replace(/\*\*/g, ''));
      if (text.length > 20) into.set(key, text.length > 900 ? `…${text.slice(-900)}` : text);
    }
  }
}

export function defaultSpecDir(): string {
  return process.env.MQTT_SPEC_DIR || join(process.cwd(), '..', 'shared', 'spec');
}

export function loadSpecTexts(dir = defaultSpecDir()): SpecTexts {
  const texts = new Map<string, string>();
  const sections = new Map<string, string>();
  const context = new Map<string, string>();
  const missing: string[] = [];
  const read = (f: string): string | undefined => {
    const p = join(dir, f);
    if (!existsSync(p)) {
      missing.push(p);
      return undefined;
    }
    return readFileSync(p, 'utf8');
  };
  const s5 = read('mqtt-5.0-statements.md');
  if (s5) headedStatements(s5, '5.0', texts);
  const v5 = read('mqtt-v5.0.md');
  if (v5) {
    appendixRows(v5, '5.0', texts);
    sectionTitles(v5, '5.0', sections);
    bodyParagraphs(v5, '5.0', context);
  }
  const v3 = read('mqtt-v3.1.1-os.md');
  if (v3) {
    appendixRows(v3, '3.1.1', texts);
    sectionTitles(v3, '3.1.1', sections);
    bodyParagraphs(v3, '3.1.1', context);
  }
  return { dir, texts, context, sections, missing };
}
