import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MOSQUITTO_BIN = '/usr/sbin/mosquitto';

export interface LocalMosquitto {
  url: string;
  port: number;
  /** ws://127.0.0.1:<port>/mqtt when started with websockets. */
  wsUrl?: string;
  /** Everything mosquitto printed, for diagnostics. */
  output(): string;
  stop(): Promise<void>;
}

import { freePort, waitForPort } from './targets/process-util.ts';

export { freePort };

/** Starts the system mosquitto on a free loopback port with anonymous access (and a WebSocket listener on request). */
export async function startLocalMosquitto(opts: { websockets?: boolean } = {}): Promise<LocalMosquitto> {
  if (!existsSync(MOSQUITTO_BIN)) throw new Error(`${MOSQUITTO_BIN} is not installed (apt-get install mosquitto)`);
  const port = await freePort();
  const wsPort = opts.websockets ? await freePort() : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'mh-mosq-'));
  const conf = join(dir, 'mosquitto.conf');
  const ws = wsPort ? `listener ${wsPort} 127.0.0.1\nprotocol websockets\n` : '';
  writeFileSync(
    conf,
    `per_listener_settings false\nallow_anonymous true\npersistence false\nlistener ${port} 127.0.0.1\n${ws}`,
  );
  const child: ChildProcess = spawn(MOSQUITTO_BIN, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    let alive = true;
    void exited.then(() => {
      alive = false;
    });
    await waitForPort(port, 5000, 'mosquitto', () => alive);
    if (wsPort) await waitForPort(wsPort, 5000, 'mosquitto', () => alive);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${(e as Error).message}\n${out}`, { cause: e });
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    wsUrl: wsPort ? `ws://127.0.0.1:${wsPort}/mqtt` : undefined,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 2000);
        await exited;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
