import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { readFileSync } from 'node:fs';

/**
 * `mqtt-harness proxy`: runs the fault-injecting MQTT-aware proxy until SIGINT/SIGTERM.
 * Prints "proxy listening on URL", "seed N" and (with --api) "control API on URL", one per line.
 */
interface ProxyFlags {
  busyPoll?: number;
  listen: string;
  upstream: string;
  profile?: string;
  seed?: number;
  api?: string | boolean;
  toxics?: string;
  mqtt: boolean;
  name: string;
  faults?: boolean;
  listProfiles?: boolean;
}

function busyPollArg(v: string): number {
  const n = Number(v);
  if (!/^[0-9]+$/.test(v) || n > 1000)
    throw new InvalidArgumentError(`expected a whole number of ms 0..1000, got "${v}"`);
  return n;
}

function seedArg(v: string): number {
  const n = Number(v);
  if (!/^[0-9]+$/.test(v) || n > 0xffffffff)
    throw new InvalidArgumentError(`expected an integer 0..4294967295, got "${v}"`);
  return n;
}

/** Reads a toxics file: a JSON or YAML list of Toxiproxy-shaped toxics (or {toxics: [...]}). */
async function readToxicsFile(file: string): Promise<unknown[]> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`--toxics: cannot read ${file}: ${(e as Error).message}`, { cause: e });
  }
  const { parse } = await import('yaml'); // YAML is a superset of JSON
  let data: unknown;
  try {
    data = parse(text);
  } catch (e) {
    throw new Error(`--toxics: ${file} is not valid JSON/YAML: ${(e as Error).message}`, { cause: e });
  }
  const list = Array.isArray(data) ? data : (data as { toxics?: unknown })?.toxics;
  if (!Array.isArray(list))
    throw new Error(`--toxics: ${file} must hold a list of toxics (or an object with a "toxics" list)`);
  const { toxicProblems } = await import('../proxy/index.ts');
  const problems = list.flatMap((t, i) => toxicProblems(t, `toxics[${i}]`)); // every toxic's problems at once
  if (problems.length > 0)
    throw new Error(problems.map((p) => `--toxics: ${file}: ${p.path}: ${p.message}`).join('\n'));
  return list;
}

export function register(program: Command): void {
  program
    .command('proxy')
    .description('run the fault-injecting MQTT-aware TCP proxy (Toxiproxy-compatible control API with --api)')
    .option('--listen <host:port>', 'address to listen on; port 0 = any free port', '127.0.0.1:0')
    .option(
      '--upstream <url>',
      'broker to forward to: mqtt://host:port (framed), tcp://, host:port, or mqtts:// ws:// wss:// (byte-wise)',
    )
    .option('--profile <name|file>', 'link profile from scenarios/links (e.g. lte, 3g, flaky-cellular) or a YAML file')
    .option(
      '--seed <n>',
      'seed for every random choice (default: MQTT_HARNESS_SEED or random; always printed)',
      seedArg,
    )
    .option('--api [host:port]', 'serve the Toxiproxy-compatible HTTP control API (default 127.0.0.1:0)')
    .option('--toxics <file>', 'JSON/YAML list of toxics to add at start')
    .option('--no-mqtt', 'do not frame MQTT; pass bytes only')
    .option('--name <name>', 'proxy name in the control API', 'mqtt')
    .option('--faults', 'print every fault event as a JSON line')
    .option(
      '--busy-poll <ms>',
      'spin the event loop for MS ms after traffic instead of sleeping (0..1000): less added latency, a busy core',
      busyPollArg,
    )
    .option('--list-profiles', 'list the link profiles and exit')
    .action(async (flags: ProxyFlags) => {
      await runProxy(flags);
    });
}

async function runProxy(flags: ProxyFlags): Promise<void> {
  const { createProxy, startControlApi, listProfiles, loadProfile } = await import('../proxy/index.ts');
  if (flags.listProfiles) {
    for (const n of listProfiles()) process.stdout.write(`${n}\t${loadProfile(n).description}\n`);
    return;
  }
  if (flags.upstream === undefined) throw new Error("proxy: required option '--upstream <url>' not specified");
  const toxics = flags.toxics !== undefined ? await readToxicsFile(flags.toxics) : [];
  const { seedFromEnv } = await import('../common/rng.ts');
  const seed = flags.seed ?? seedFromEnv();
  const proxy = await createProxy({
    name: flags.name,
    listen: flags.listen,
    upstream: flags.upstream,
    seed,
    ...(flags.mqtt === false ? { mqtt: false } : {}), // default: framed for mqtt:// tcp://, byte-wise for ws:// mqtts://
    ...(flags.profile !== undefined ? { profile: flags.profile } : {}),
    toxics: toxics as never,
    ...(flags.busyPoll !== undefined ? { busyPollMs: flags.busyPoll } : {}),
  });
  if (flags.faults) proxy.onFault((ev) => process.stdout.write(`${JSON.stringify({ fault: ev })}\n`));
  process.stdout.write(`proxy listening on ${proxy.url}\nupstream ${proxy.upstream}\nseed ${proxy.seed}\n`);
  if (flags.profile !== undefined)
    process.stdout.write(
      `profile ${flags.profile}: ${proxy
        .toxics()
        .map((t) => t.name)
        .join(', ')}\n`,
    );
  const api =
    flags.api !== undefined && flags.api !== false
      ? await startControlApi({
          listen: typeof flags.api === 'string' ? flags.api : '127.0.0.1:0',
          proxies: [proxy],
          seed,
        })
      : undefined;
  if (api !== undefined) process.stdout.write(`control API on ${api.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = (sig: string) => {
      process.stdout.write(`${sig}: shutting down\n`);
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  if (api !== undefined)
    await api.close(); // closes the proxies it holds
  else await proxy.close();
}
