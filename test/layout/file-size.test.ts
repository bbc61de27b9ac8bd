/**
 * The layout rule "files of at most about 300 lines": every .ts / .mjs file under src/, steps/,
 * bench/, scripts/ and test/ that is over 300 lines must say why in its opening comment (the
 * first comment block within its first 25 lines) with the words "over 300 lines". The walk reads
 * the working tree directly (no git), so an uncommitted file counts too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DIRS = ['src', 'steps', 'bench', 'scripts', 'test'];
const MAX_LINES = 300;
const HEAD_LINES = 25;
const REASON = /over 300 lines/i;

/** Lines as `wc -l` counts them for a file ending in a newline (a last line without one counts too). */
function lineCount(text: string): number {
  if (text === '') return 0;
  const n = text.split('\n').length;
  return text.endsWith('\n') ? n - 1 : n;
}

/**
 * The first comment block among the first 25 lines: a line starting a `/* ... *\/` comment (up to
 * its end, or the 25th line), or a run of consecutive `//` lines; '' when there is none.
 */
function openingComment(text: string): string {
  const lines = text.split('\n').slice(0, HEAD_LINES);
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t.startsWith('/*')) {
      const block: string[] = [];
      for (let j = i; j < lines.length; j++) {
        block.push(lines[j]);
        if (lines[j].indexOf('*/', j === i ? lines[j].indexOf('/*') + 2 : 0) >= 0) break;
      }
      return block.join('\n');
    }
    if (t.startsWith('//')) {
      const block: string[] = [];
      for (let j = i; j < lines.length && lines[j].trim().startsWith('//'); j++) block.push(lines[j]);
      return block.join('\n');
    }
  }
  return '';
}

/** A file over the limit without the reason in its opening comment: its line count; else undefined. */
function oversizeWithoutReason(text: string): number | undefined {
  const n = lineCount(text);
  if (n <= MAX_LINES) return undefined;
  return REASON.test(openingComment(text)) ? undefined : n;
}

function walk(dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // a folder the project does not have
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') walk(p, out);
    } else if (e.isFile() && /\.(ts|mjs)$/.test(e.name)) out.push(p);
  }
}

describe('file size', () => {
  it('recognises the reason only in the opening comment, and counts lines as wc -l does', () => {
    const body = (n: number): string => 'x;\n'.repeat(n);
    expect(lineCount(body(300))).toBe(300);
    expect(lineCount('a\nb')).toBe(2);
    expect(oversizeWithoutReason(body(300))).toBeUndefined();
    expect(oversizeWithoutReason(body(301))).toBe(301);
    const withReason = `/**\n * One table: over 300 lines because...\n */\n${body(400)}`;
    expect(oversizeWithoutReason(withReason)).toBeUndefined();
    expect(oversizeWithoutReason(`// Over 300 Lines: one state machine\n${body(400)}`)).toBeUndefined();
    expect(oversizeWithoutReason(`#!/usr/bin/env node\n/* over 300 lines: x */\n${body(400)}`)).toBeUndefined();
    // Not the opening comment: a later block, or a mention past the first 25 lines.
    expect(oversizeWithoutReason(`/** A file. */\n/* over 300 lines */\n${body(400)}`)).toBe(402);
    expect(oversizeWithoutReason(`/**\n${' * x\n'.repeat(30)} * over 300 lines\n */\n${body(300)}`)).toBe(333);
    expect(oversizeWithoutReason(`import x from 'y';\n${body(300)}`)).toBe(301);
  });

  it(`every file over ${MAX_LINES} lines says why in its opening comment ("over 300 lines")`, () => {
    const files: string[] = [];
    for (const d of DIRS) walk(join(ROOT, d), files);
    expect(files.length, 'the walk found the project files').toBeGreaterThan(100);
    const offenders = files
      .map((f) => ({ f, n: oversizeWithoutReason(readFileSync(f, 'utf8')) }))
      .filter((x) => x.n !== undefined)
      .map((x) => `${relative(ROOT, x.f)} (${x.n} lines)`)
      .sort();
    expect(offenders, 'split these files, or give the reason in their opening comment').toEqual([]);
  });
});
