/** Directory helpers of the file persistence: mkdir -p that fails at once, and fsync of a directory. */
import { mkdirSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * mkdir -p that fails at once: Node's `mkdirSync(dir, { recursive: true })` retries forever where
 * mkdir() says ENOENT under an existing parent (/proc, /sys), so each missing level is created
 * on its own. Returns the directories created, outermost first. Throws naming the directory.
 */
export function makeDirs(dir: string): string[] {
  const missing: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    let st;
    try {
      st = statSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new Error(`FilePersistence: cannot create data directory ${dir}: ${(e as Error).message}`, { cause: e });
    }
    if (st !== undefined) {
      if (!st.isDirectory())
        throw new Error(`FilePersistence: cannot create data directory ${dir}: ${d} is not a directory`);
      break;
    }
    missing.push(d);
    if (dirname(d) === d) break;
  }
  const created: string[] = [];
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && statSync(d, { throwIfNoEntry: false })?.isDirectory())
        continue;
      throw new Error(`FilePersistence: cannot create data directory ${dir}: ${(e as Error).message}`, { cause: e });
    }
    created.push(d);
  }
  return created;
}

/** fsync on a directory fd (allowed on Linux; makes renames and new entries in it durable). */
export async function syncDirectory(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
