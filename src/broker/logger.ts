/** Minimal structured logger used by the broker; protocol violations carry their statement ID in `fields.statement`. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Logs lines at or above `level` to stderr as "LEVEL message {json fields}". */
export function consoleLogger(level: LogLevel = 'info'): Logger {
  const min = ORDER[level];
  const at = (l: Exclude<LogLevel, 'silent'>) =>
    ORDER[l] < min
      ? () => undefined
      : (msg: string, fields?: LogFields) =>
          process.stderr.write(`${new Date().toISOString()} ${l.toUpperCase()} ${msg}${fields ? ' ' + safeJson(fields) : ''}\n`);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: Logger = consoleLogger('silent');

/** Collects log records in memory; for tests. */
export class MemoryLogger implements Logger {
  readonly records: { level: string; msg: string; fields?: LogFields }[] = [];
  debug(msg: string, fields?: LogFields): void { this.records.push({ level: 'debug', msg, fields }); }
  info(msg: string, fields?: LogFields): void { this.records.push({ level: 'info', msg, fields }); }
  warn(msg: string, fields?: LogFields): void { this.records.push({ level: 'warn', msg, fields }); }
  error(msg: string, fields?: LogFields): void { this.records.push({ level: 'error', msg, fields }); }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x) => (Buffer.isBuffer(x) ? `<${x.length} bytes>` : typeof x === 'bigint' ? String(x) : x));
  } catch {
    return '[unserializable]';
  }
}
