import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { TagRef } from './scenario-tags.ts';

/**
 * A light Gherkin reader for tags only: which tags apply to each runnable scenario
 * (a Scenario, or each Examples block of a Scenario Outline), with inheritance from
 * Feature and Rule. Used by the coverage command, which must not run anything.
 */
export interface ScannedScenario {
  uri: string;
  line: number;
  name: string;
  /** Effective tags, each with where it was written. */
  tags: TagRef[];
}

export function scanFeatureText(text: string, uri: string): ScannedScenario[] {
  const out: ScannedScenario[] = [];
  let pending: TagRef[] = [];
  let featureTags: TagRef[] = [];
  let ruleTags: TagRef[] = [];
  let outline: { line: number; name: string; tags: TagRef[]; examples: number } | undefined;
  const flushOutline = (): void => {
    if (outline && outline.examples === 0) {
      // An outline without Examples yields nothing to run.
    }
    outline = undefined;
  };
  let inDocString: string | undefined;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    const n = i + 1;
    if (inDocString) {
      if (line.startsWith(inDocString)) inDocString = undefined;
      return;
    }
    if (line.startsWith('"""') || line.startsWith('```')) {
      inDocString = line.slice(0, 3);
      return;
    }
    if (line === '' || line.startsWith('#')) return;
    if (line.startsWith('@')) {
      const body = line.replace(/\s#.*$/, '');
      for (const name of body.split(/\s+/).filter(Boolean)) pending.push({ name, where: `${uri}:${n}` });
      return;
    }
    const kw =
      /^(Feature|Rule|Background|Scenario Outline|Scenario Template|Scenario|Example|Examples|Scenarios):\s*(.*)$/.exec(
        line,
      );
    if (!kw) return;
    const [, keyword, name] = kw;
    switch (keyword) {
      case 'Feature':
        featureTags = pending;
        break;
      case 'Rule':
        flushOutline();
        ruleTags = pending;
        break;
      case 'Background':
        break;
      case 'Scenario':
      case 'Example':
        flushOutline();
        out.push({ uri, line: n, name, tags: [...featureTags, ...ruleTags, ...pending] });
        break;
      case 'Scenario Outline':
      case 'Scenario Template':
        flushOutline();
        outline = { line: n, name, tags: [...featureTags, ...ruleTags, ...pending], examples: 0 };
        break;
      case 'Examples':
      case 'Scenarios':
        if (outline) {
          outline.examples++;
          out.push({
            uri,
            line: n,
            name: `${outline.name} (Examples${name ? `: ${name}` : ''} at line ${n})`,
            tags: [...outline.tags, ...pending],
          });
        }
        break;
    }
    pending = [];
  });
  return out;
}

/** All *.feature files below `dir`, sorted, as paths relative to `cwd`. */
export function findFeatureFiles(dir: string, cwd = process.cwd()): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.feature')) out.push(relative(cwd, p));
    }
  };
  walk(dir);
  return out;
}

export function scanFeatureFiles(files: readonly string[]): ScannedScenario[] {
  return files.flatMap((f) => scanFeatureText(readFileSync(f, 'utf8'), f));
}
