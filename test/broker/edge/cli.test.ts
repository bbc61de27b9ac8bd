import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { withTimeout } from '../../../src/common/index.ts';
import { parseScramCredentials, verifyPassword } from '../../../src/broker/auth/index.ts';
import { endAll, mqttConnect, nextMessage } from './helpers.ts';

const root = join(import.meta.dirname, '../../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const children: ChildProcess[] = [];
const tmp = mkdtempSync(join(tmpdir(), 'broker-cli-'));
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

function cli(args: string[], input?: string) {
  const p = spawn(tsx, ['src/cli/main.ts', ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(p);
  let out = '';
  let err = '';
  p.stdout.on('data', (d: Buffer) => (out += d.toString()));
  p.stderr.on('data', (d: Buffer) => (err += d.toString()));
  if (input !== undefined) p.stdin.end(input);
  const exit = withTimeout(
    new Promise<number | null>((r) => p.on('close', (code) => r(code))),
    20_000,
    `mqtt-harness ${args.join(' ')} to exit`,
  );
  const urls = (n: number) =>
    withTimeout(
      (async () => {
        for (;;) {
          const found = [...out.matchAll(/listening on (\S+)/g)].map((m) => m[1]);
          if (found.length >= n) return found;
          if (p.exitCode !== null) throw new Error(`broker exited early: ${err}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      })(),
      20_000,
      'listening URLs',
    );
  return { p, exit, urls, out: () => out, err: () => err };
}

describe('mqtt-harness broker (child process)', () => {
  it('prints real URLs for port 0, serves MQTT.js, exits 0 on SIGTERM', async () => {
    const c = cli(['broker', '--port', '0', '--ws-port', '0', '--log-level', 'warn']);
    const [tcp, ws] = await c.urls(2);
    expect(tcp).toMatch(/^mqtt:\/\/127\.0\.0\.1:[1-9]\d*$/);
    expect(ws).toMatch(/^ws:\/\/127\.0\.0\.1:[1-9]\d*\/mqtt$/);
    const a = await mqttConnect(tcp);
    const b = await mqttConnect(ws);
    await b.subscribeAsync('cli/test', { qos: 1 });
    const got = nextMessage(b, 'message via CLI broker');
    await a.publishAsync('cli/test', 'over the CLI', { qos: 1 });
    expect((await got).payload).toBe('over the CLI');
    await endAll(a, b);
    c.p.kill('SIGTERM');
    expect(await c.exit).toBe(0);
    expect(c.out()).toMatch(/SIGTERM, shutting down/);
  });

  it('exits 0 on SIGINT too', async () => {
    const c = cli(['broker', '--port', '0']);
    await c.urls(1);
    c.p.kill('SIGINT');
    expect(await c.exit).toBe(0);
  });

  it('names the key path of a bad config and exits 2', async () => {
    const f = join(tmp, 'broker.yaml');
    writeFileSync(f, 'limits:\n  maxConnections: lots\n');
    const c = cli(['broker', '--config', f]);
    expect(await c.exit).toBe(2);
    expect(c.err()).toContain('broker.yaml: limits.maxConnections: expected a positive integer, got "lots"');
  });

  it('prints a data-directory lock error once and exits 2', async () => {
    const dir = join(tmp, 'locked');
    const first = cli(['broker', '--port', '0', '--persistence', `file:${dir}`]);
    await first.urls(1);
    const second = cli(['broker', '--port', '0', '--persistence', `file:${dir}`]);
    const code = await second.exit;
    // (stderr in the compared value, so that a failure shows what was printed)
    expect({ code, locked: second.err().match(/is locked by pid/g)?.length, err: second.err() }).toMatchObject({
      code: 2,
      locked: 1,
    });
    first.p.kill('SIGTERM');
    expect({ code: await first.exit, err: first.err() }).toMatchObject({ code: 0 });
  });

  it('fails at once, with the directory named, when the data directory cannot be created', async () => {
    const c = cli(['broker', '--port', '0', '--persistence', 'file:/proc/mqtt-harness-cannot-exist/data']);
    expect(await c.exit).toBe(2);
    expect(c.err()).toContain('cannot create data directory /proc/mqtt-harness-cannot-exist/data');
  });

  it('rejects a bad flag value', async () => {
    const c = cli(['broker', '--port', 'x']);
    expect(await c.exit).not.toBe(0);
    expect(c.err()).toMatch(/expected a port number/);
  });

  it('hash-password prints a users entry that verifies', async () => {
    const c = cli(['broker', 'hash-password', '--username', 'alice'], 'wonderland\n');
    expect(await c.exit).toBe(0);
    const [entry] = parseYaml(c.out()) as Array<{ username: string; password: string; scram: string }>;
    expect(entry.username).toBe('alice');
    expect(await verifyPassword('wonderland', entry.password)).toBe(true);
    expect(await verifyPassword('wonderland!', entry.password)).toBe(false);
    expect(parseScramCredentials(entry.scram).iterations).toBe(4096);
  });
});
