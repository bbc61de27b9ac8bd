import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { Command } from 'commander';
import { register } from '../../src/cli/fleet-command.ts';
import { toJsonLines } from '../../src/checker/index.ts';
import { HB } from '../checker/history-builder.ts';

const dir = mkdtempSync(join(tmpdir(), 'fleet-cmd-'));
afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

async function run(...args: string[]): Promise<string> {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  const p = new Command().exitOverride();
  register(p);
  await p.parseAsync(['node', 'mqtt-harness', ...args]);
  return lines.join('\n');
}

describe('mqtt-harness fleet', () => {
  it('check: a saved history with a lost message exits 1 and prints the witness', async () => {
    const h = new HB().connect('sub').subscribe('sub', 't', 1).connect('pub').publish('pub', 'm1', 't');
    const file = join(dir, 'lost.jsonl');
    writeFileSync(file, toJsonLines(h.ops));
    const out = await run('fleet', 'check', file, '--checkers', 'qos1-at-least-once');
    expect(out).toMatch(/INVALID qos1-at-least-once/);
    expect(out).toMatch(/witness/);
    expect(process.exitCode).toBe(1);
  });

  it('check: a good history exits 0; unknown checker names are refused', async () => {
    const h = new HB().connect('sub').subscribe('sub', 't', 1).connect('pub').publish('pub', 'm1', 't').recv('sub', 'm1', 't');
    const file = join(dir, 'good.jsonl');
    writeFileSync(file, toJsonLines(h.ops));
    expect(await run('fleet', 'check', file)).toMatch(/VALID qos1-at-least-once/);
    expect(process.exitCode).toBeUndefined();
    await expect(run('fleet', 'check', file, '--checkers', 'nope')).rejects.toThrow(/unknown checker "nope"/);
  });

  it('list: names the stored scenarios', async () => {
    expect(await run('fleet', 'list')).toMatch(/cellular-sensors/);
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));
