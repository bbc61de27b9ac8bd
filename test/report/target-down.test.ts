import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComplianceReport } from '../../src/report/index.ts';
import { startBroker } from '../../src/broker/index.ts';

/**
 * A broker that "dies" deterministically: a TCP front for the reference broker that, when a
 * CONNECT naming the client id "killswitch" passes through, drops every connection and stops
 * listening, as a crashed broker would.
 */
async function mortalBroker(): Promise<{ url: string; close(): Promise<void> }> {
  const b = await startBroker({ host: '127.0.0.1', port: 0 });
  const [, port] = /:(\d+)$/.exec(b.url)!;
  const sockets = new Set<Socket>();
  let front: Server;
  const die = (): void => {
    for (const s of sockets) s.destroy();
    front.close();
  };
  front = createServer((client) => {
    const up = connect(Number(port), '127.0.0.1');
    sockets.add(client).add(up);
    client.on('data', (d: Buffer) => {
      if (d.includes('killswitch')) die();
      else up.write(d);
    });
    up.on('data', (d: Buffer) => client.write(d));
    for (const s of [client, up])
      s.on('error', () => undefined).on('close', () => {
        client.destroy();
        up.destroy();
      });
  });
  await new Promise<void>((r) => front.listen(0, '127.0.0.1', () => r()));
  return {
    url: `mqtt://127.0.0.1:${(front.address() as { port: number }).port}`,
    close: async () => {
      die();
      await b.close();
    },
  };
}

describe('a target that dies mid-run', () => {
  let broker: Awaited<ReturnType<typeof mortalBroker>>;
  beforeAll(async () => {
    broker = await mortalBroker();
  });
  afterAll(async () => {
    await broker?.close();
  });

  it('is reported as a finding of its own; the scenarios after it are inconclusive, not failures; exit 3', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mh-down-'));
    const { code, out } = await new Promise<{ code: number; out: string }>((resolve) => {
      const child = spawn('node', ['node_modules/@cucumber/cucumber/bin/cucumber.js', 'test/report/fixtures/down'], {
        env: {
          ...process.env,
          MQTT_FEATURES: '',
          MQTT_REPORT_DIR: dir,
          MQTT_BROKER_URL: broker.url,
          MQTT_PARALLEL: '0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let o = '';
      child.stdout.on('data', (d: Buffer) => {
        o += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        o += d.toString();
      });
      const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.once('exit', (c) => {
        clearTimeout(killer);
        resolve({ code: c ?? -1, out: o });
      });
    });
    const r = JSON.parse(readFileSync(join(dir, 'compliance.json'), 'utf8')) as ComplianceReport;
    expect(code, out).toBe(3);
    expect(r.statements.filter((s) => s.verdict === 'failed')).toEqual([]);
    expect(r.scenarioResults.map((o) => [o.kind, o.cause ?? ''])).toEqual([
      ['passed', ''],
      ['inconclusive', 'target-down'],
      ['inconclusive', 'target-down'],
    ]);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0].message).toMatch(
      /the broker stopped answering after test\/report\/fixtures\/down\/down\.feature "a scenario before the broker stops"/,
    );
    expect(r.run).toMatchObject({ outcome: 'inconclusive', exitCode: 3, inconclusive: { cause: 'target-down' } });
    expect(out).toMatch(/FINDING \(run\) the broker stopped answering/);
  });
});
