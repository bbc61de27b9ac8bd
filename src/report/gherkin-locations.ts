import type * as messages from '@cucumber/messages';
import type { TagRef } from './scenario-tags.ts';

/** Where each tag of a gherkin document is written, by AST node id. */
function tagLines(doc: messages.GherkinDocument): Map<string, number> {
  const m = new Map<string, number>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as { tags?: Array<{ id: string; location: { line: number } }> };
    for (const t of n.tags ?? []) m.set(t.id, t.location.line);
    for (const v of Object.values(node)) if (typeof v === 'object') visit(v);
  };
  visit(doc.feature);
  return m;
}

export function pickleTagRefs(pickle: messages.Pickle, doc: messages.GherkinDocument | undefined): TagRef[] {
  const lines = doc ? tagLines(doc) : new Map<string, number>();
  return pickle.tags.map((t) => ({
    name: t.name,
    where: lines.has(t.astNodeId) ? `${pickle.uri}:${lines.get(t.astNodeId)}` : pickle.uri,
  }));
}

/** The line of the AST node with this id (a scenario, an Examples row, a step). */
export function nodeLine(doc: messages.GherkinDocument, id: string): number | undefined {
  let line: number | undefined;
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object' || line !== undefined) return;
    const n = node as { id?: string; location?: { line: number } };
    if (n.id === id && n.location) {
      line = n.location.line;
      return;
    }
    for (const v of Object.values(node)) if (typeof v === 'object') visit(v);
  };
  visit(doc.feature);
  return line;
}

/** The line of the scenario (or Examples row) a pickle comes from. */
export function pickleLine(pickle: messages.Pickle, doc: messages.GherkinDocument): number | undefined {
  return nodeLine(doc, pickle.astNodeIds[pickle.astNodeIds.length - 1]);
}

/**
 * The comment lines written directly above a line (contiguous, nearest first), without '#'.
 * Step annotations live there: `# checks MQTT-3.3.4-1` or `# precondition`.
 */
export function commentsAbove(doc: messages.GherkinDocument, line: number): string[] {
  const byLine = new Map(doc.comments.map((c) => [c.location.line, c.text.trim().replace(/^#\s*/, '')]));
  const out: string[] = [];
  for (let l = line - 1; byLine.has(l); l--) out.push(byLine.get(l)!);
  return out;
}
