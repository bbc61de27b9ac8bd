import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';

/**
 * `mqtt-harness broker`: runs the reference broker until SIGINT/SIGTERM, printing each listening
 * URL (with the real port when 0 was asked for) as "listening on URL".
 * `mqtt-harness broker hash-password`: makes a users entry (scrypt hash + SCRAM credentials).
 */
function portArg(v: string): number {
  const n = Number(v);
  if (!/^[0-9]+$/.test(v) || n > 65535) throw new InvalidArgumentError(`expected a port number 0..65535, got "${v}"`);
  return n;
}
function positiveArg(v: string): number {
  if (!/^[1-9][0-9]*$/.test(v)) throw new InvalidArgumentError(`expected a positive integer, got "${v}"`);
  return Number(v);
}

interface BrokerFlags {
  host?: string;
  port?: number;
  tlsPort?: number;
  wsPort?: number;
  wssPort?: number;
  cert?: string;
  key?: string;
  ca?: string;
  requireClientCert?: boolean;
  config?: string;
  persistence?: string;
  logLevel?: string;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export function register(program: Command): void {
  const broker = program
    .command('broker')
    .description('run the reference MQTT broker (TCP, TLS, WebSocket); prints every listening URL')
    .option('--host <host>', 'address to bind: 127.0.0.1, ::1, 0.0.0.0 ... (default 127.0.0.1)')
    .option(
      '--port <port>',
      'MQTT over TCP port; 0 = any free port (default 1883 when no listener is configured)',
      portArg,
    )
    .option('--tls-port <port>', 'MQTT over TLS port (needs --cert and --key)', portArg)
    .option('--ws-port <port>', 'MQTT over WebSocket port (path /mqtt)', portArg)
    .option('--wss-port <port>', 'MQTT over secure WebSocket port (needs --cert and --key)', portArg)
    .option('--cert <file>', 'TLS certificate (PEM)')
    .option('--key <file>', 'TLS private key (PEM)')
    .option('--ca <file>', 'CA bundle (PEM) for client certificates')
    .option('--require-client-cert', 'TLS clients must present a certificate signed by --ca')
    .option('--config <file>', 'YAML config file (see scenarios/broker.example.yaml)')
    .option('--persistence <kind>', 'memory or file:DIR')
    .option('--log-level <level>', 'debug, info, warn, error or silent (default info)')
    .action(async (flags: BrokerFlags) => {
      await runBroker(flags);
    });

  broker
    .command('hash-password')
    .description(
      'print a users entry (scrypt hash and SCRAM-SHA-256 credentials) for the config file; the password is read from stdin when not given',
    )
    .argument('[password]', 'the password (prefer stdin, so it stays out of shell history)')
    .option('--username <name>', 'user name for the entry')
    .option('--scram-iterations <n>', 'SCRAM iteration count (default 4096)', positiveArg)
    .action(async (password: string | undefined, flags: { username?: string; scramIterations?: number }) => {
      const { makeUserRecord } = await import('../broker/index.ts');
      const pw = password ?? (await readStdin());
      if (pw === '') throw new Error('hash-password: empty password');
      const rec = await makeUserRecord(flags.username ?? 'USERNAME', pw, { scramIterations: flags.scramIterations });
      process.stdout.write(
        `- username: ${JSON.stringify(rec.username)}\n  password: ${JSON.stringify(rec.password)}\n  scram: ${JSON.stringify(rec.scram)}\n`,
      );
    });
}

async function runBroker(flags: BrokerFlags): Promise<void> {
  const { startBroker } = await import('../broker/index.ts');
  const { loadConfigFile, ConfigError, LOG_LEVELS } = await import('../broker/index.ts');
  if (flags.logLevel !== undefined && !(LOG_LEVELS as readonly string[]).includes(flags.logLevel)) {
    throw new Error(`--log-level: expected one of ${LOG_LEVELS.join(', ')}, got "${flags.logLevel}"`);
  }
  if (flags.persistence !== undefined && !/^(memory|file:.+)$/.test(flags.persistence)) {
    throw new Error(`--persistence: expected "memory" or "file:DIR", got "${flags.persistence}"`);
  }
  let config;
  try {
    config = flags.config !== undefined ? await loadConfigFile(flags.config) : undefined;
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const anyPort = [flags.port, flags.tlsPort, flags.wsPort, flags.wssPort].some((p) => p !== undefined);
  const port = flags.port ?? (!anyPort && !config?.listeners?.length ? 1883 : undefined);
  // Signals are handled from the start, so a SIGTERM during start-up also ends with exit 0.
  let running: Awaited<ReturnType<typeof startBroker>> | undefined;
  let stopping = false;
  const shutDown = () => {
    const force = setTimeout(() => {
      process.stderr.write('mqtt-harness broker: shutdown took over 5 s, exiting\n');
      process.exit(1);
    }, 5000);
    force.unref();
    (running?.close() ?? Promise.resolve()).then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`mqtt-harness broker: error while closing: ${(e as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  const stop = (signal: string) => {
    if (stopping) {
      process.stderr.write(`mqtt-harness broker: second ${signal}, exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    process.stdout.write(`mqtt-harness broker: ${signal}, shutting down\n`);
    if (running !== undefined) shutDown();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  running = await startBroker({
    host: flags.host,
    port,
    tlsPort: flags.tlsPort,
    wsPort: flags.wsPort,
    wssPort: flags.wssPort,
    cert: flags.cert,
    key: flags.key,
    ca: flags.ca,
    requireClientCert: flags.requireClientCert,
    config,
    persistence: flags.persistence as 'memory' | `file:${string}` | undefined,
    logLevel: (flags.logLevel ?? config?.logLevel ?? 'info') as 'info',
  });
  if (stopping) return shutDown();
  for (const url of running.urls) process.stdout.write(`mqtt-harness broker: listening on ${url}\n`);
}
