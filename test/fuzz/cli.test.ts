/** `mqtt-harness fuzz` / `audit` exit codes: 2 usage (every error at once), 3 unreachable, 0 clean run with fuzz.json. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger, startBroker, type RunningBroker } from '../../src/broker/index.ts';

const root = join(import.meta.dirname, '../..');
const cli = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], {
    encoding: 'utf8',
    cwd: root,
    timeout: 60_000,
  });
let b: RunningBroker;
const out = mkdtempSync(join(tmpdir(), 'fuzz-cli-'));
beforeAll(async () => {
  b = await startBroker({ port: 0, logger: silentLogger });
});
afterAll(async () => {
  await b.close();
  rmSync(out, { recursive: true, force: true });
});

it('usage errors exit 2 and name every problem', () => {
  const r = cli(['fuzz', '--broker', 'ws://x', '--frames', '0', '--version', '4', '--chain', '0']);
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('--chain: expected 1..64');
  expect(r.stderr).toContain('--broker');
  expect(r.stderr).toContain('--frames');
  expect(r.stderr).toContain('--version');
  const a = cli(['audit', '--broker', 'mqtt://127.0.0.1:1', '--fail-on', 'medum']);
  expect(a.status).toBe(2);
  expect(a.stderr).toContain('did you mean `medium`');
}, 60_000);

it('an unreachable target exits 3 (inconclusive), fuzz and audit', () => {
  expect(cli(['fuzz', '--broker', 'mqtt://127.0.0.1:1']).status).toBe(3);
  expect(cli(['audit', '--broker', 'mqtt://u:pw-secret@127.0.0.1:1']).stderr).not.toContain('pw-secret');
}, 60_000);

it('a clean run exits 0, prints the seed and writes fuzz.json', async () => {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'src/cli/main.ts'),
      'fuzz',
      '--broker',
      b.url,
      '--frames',
      '3000',
      '--seed',
      '77',
      '--chain',
      '1',
      '--out',
      out,
    ],
    { cwd: root },
  );
  let text = '';
  child.stdout.on('data', (d) => (text += d));
  child.stderr.on('data', (d) => (text += d));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  expect(code, text).toBe(0);
  expect(text).toContain('seed 77');
  expect(existsSync(join(out, 'fuzz.json'))).toBe(true);
  const j = JSON.parse(readFileSync(join(out, 'fuzz.json'), 'utf8'));
  expect(j.verdict).toBe('passed');
  expect(j.framesSent).toBeGreaterThanOrEqual(3000);
  expect(j.connections).toBeGreaterThanOrEqual(j.cases); // --chain 1: no two cases share a connection
}, 60_000);
