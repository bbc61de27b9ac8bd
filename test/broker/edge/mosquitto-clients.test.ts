import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { startBroker, type RunningBroker } from '../../../src/broker/index.ts';
import { makeUserRecord } from '../../../src/broker/auth/index.ts';
import { withTimeout } from '../../../src/common/index.ts';

const run = promisify(execFile);
const have = spawnSync('mosquitto_pub', ['--help']).error === undefined;
if (!have) console.log('mosquitto-clients not installed (apt-get install mosquitto-clients): interop tests skipped');

let b: RunningBroker;
beforeAll(async () => {
  b = await startBroker({
    port: 0,
    config: { users: [await makeUserRecord('alice', 'wonderland', { scrypt: { N: 1024, r: 8, p: 1 } })] },
  });
});
afterAll(async () => {
  await b?.close();
});

/** mosquitto_sub in debug mode; resolves once its SUBACK arrived, `done` resolves with its output. */
function sub(args: string[]) {
  // stdbuf: mosquitto_sub's debug lines are block-buffered on a pipe otherwise.
  const p = spawn('stdbuf', [
    '-oL',
    'mosquitto_sub',
    '-h',
    '127.0.0.1',
    '-p',
    String(b.port),
    '-d',
    '-W',
    '8',
    ...args,
  ]);
  let out = '';
  let subscribed: () => void;
  const ready = new Promise<void>((r) => (subscribed = r));
  p.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (/received SUBACK/i.test(out)) subscribed();
  });
  p.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<{ code: number | null; out: string }>((r) => p.on('close', (code) => r({ code, out })));
  return {
    ready: withTimeout(ready, 8000, 'mosquitto_sub SUBACK'),
    done: withTimeout(done, 10_000, 'mosquitto_sub exit'),
  };
}

const pub = (args: string[]) =>
  run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(b.port), ...args], { timeout: 10_000 });

describe.skipIf(!have)('interop with mosquitto_pub / mosquitto_sub', () => {
  for (const v of ['mqttv311', 'mqttv5'] as const) {
    for (const qos of ['0', '1', '2']) {
      it(`${v} QoS ${qos}: mosquitto_pub → broker → mosquitto_sub`, async () => {
        const s = sub(['-V', v, '-q', qos, '-t', `interop/${v}/${qos}`, '-C', '1', '-v']);
        await s.ready;
        await pub(['-V', v, '-q', qos, '-t', `interop/${v}/${qos}`, '-m', `hello ${v} ${qos}`]);
        const r = await s.done;
        expect(r.code, r.out).toBe(0);
        expect(r.out, r.out).toContain(`interop/${v}/${qos} hello ${v} ${qos}`);
      });
    }
  }

  it('retained message with a user name and password', async () => {
    await pub([
      '-V',
      'mqttv5',
      '-u',
      'alice',
      '-P',
      'wonderland',
      '-r',
      '-q',
      '1',
      '-t',
      'interop/retained',
      '-m',
      'kept',
    ]);
    const s = sub(['-V', 'mqttv311', '-u', 'alice', '-P', 'wonderland', '-t', 'interop/retained', '-C', '1', '-v']);
    const r = await s.done;
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('interop/retained kept');
  });

  it('a wrong password is refused', async () => {
    const e = await pub(['-V', 'mqttv5', '-u', 'alice', '-P', 'nope', '-t', 'x', '-m', 'y']).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(e?.code).not.toBe(0);
    expect(e?.stderr).toMatch(/bad user name or password/i);
  });
});
