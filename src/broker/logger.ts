/** Minimal structured logger used by the broker; protocol violations carry their statement ID in `fields.statement`. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/**
 * Logs lines at or above `level` to stderr as "LEVEL message {json fields}". Info, warn and error
 * lines are rate-limited (see rateLimitedLogger) unless `rateLimit` is false.
 */
export function consoleLogger(level: LogLevel = 'info', rateLimit: RateLimitOptions | false = {}): Logger {
  const min = ORDER[level];
  const at = (l: Exclude<LogLevel, 'silent'>) =>
    ORDER[l] < min
      ? () => undefined
      : (msg: string, fields?: LogFields) =>
          process.stderr.write(
            `${new Date().toISOString()} ${l.toUpperCase()} ${msg}${fields ? ' ' + safeJson(fields) : ''}\n`,
          );
  const raw = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return rateLimit === false || level === 'silent' ? raw : rateLimitedLogger(raw, rateLimit);
}

export interface RateLimitOptions {
  /** Length of one period (ms); default 10 s. */
  periodMs?: number;
  /** Lines of one kind (message up to its first ':') per client per period; default 3. */
  perClient?: number;
  /** Lines of one kind per period over all clients; default 20. */
  perPeriod?: number;
  now?: () => number;
}

type Level = Exclude<LogLevel, 'silent'>;
interface Tally {
  level: Level;
  kind: string;
  total: number;
  clients: Map<string, number>;
}

/**
 * Policy against log floods (a client or a crowd repeating one violation): per period, each kind
 * of info/warn/error line (its message up to the first ':') is written at most `perClient` times
 * per client and `perPeriod` times in all. What was held back is summarised once the period ends:
 * "suppressed N lines of KIND in the last Ps from C clients (top: a x5, b x3 ...)". Debug lines pass.
 */
export function rateLimitedLogger(inner: Logger, o: RateLimitOptions = {}): Logger & { flush(): void } {
  const periodMs = o.periodMs ?? 10_000;
  const perClient = o.perClient ?? 3;
  const perPeriod = o.perPeriod ?? 20;
  const now = o.now ?? Date.now;
  let periodStart = now();
  const written = new Map<string, number>();
  const suppressed = new Map<string, Tally>();
  const flush = (): void => {
    for (const t of suppressed.values()) {
      const top = [...t.clients]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([c, n]) => `${c} x${n}`)
        .join(', ');
      inner[t.level](
        `suppressed ${t.total} lines of "${t.kind}" in the last ${Math.round(periodMs / 1000)} s from ${t.clients.size} client(s) (top: ${top})`,
        { suppressed: t.total, kind: t.kind },
      );
    }
    suppressed.clear();
    written.clear();
    periodStart = now();
  };
  let timer: NodeJS.Timeout | undefined;
  const at =
    (level: Level) =>
    (msg: string, fields?: LogFields): void => {
      if (now() - periodStart >= periodMs) flush();
      const colon = msg.indexOf(':');
      const kind = colon > 0 ? msg.slice(0, colon) : msg;
      const client = String(fields?.clientId || fields?.remoteAddress || '-');
      const kc = `${level}|${kind}|${client}`;
      const kk = `${level}|${kind}`;
      const nc = (written.get(kc) ?? 0) + 1;
      const nk = (written.get(kk) ?? 0) + 1;
      if (nc <= perClient && nk <= perPeriod) {
        written.set(kc, nc);
        written.set(kk, nk);
        inner[level](msg, fields);
        return;
      }
      let t = suppressed.get(kk);
      if (!t) suppressed.set(kk, (t = { level, kind, total: 0, clients: new Map() }));
      t.total++;
      if (t.clients.size < 10_000 || t.clients.has(client)) t.clients.set(client, (t.clients.get(client) ?? 0) + 1);
      // A summary must come out even if nothing else is logged: one unref'd timer per pending period.
      if (!timer) {
        timer = setTimeout(
          () => {
            timer = undefined;
            if (suppressed.size > 0) flush();
          },
          Math.max(1, periodMs - (now() - periodStart)),
        );
        timer.unref?.();
      }
    };
  return { debug: (m, f) => inner.debug(m, f), info: at('info'), warn: at('warn'), error: at('error'), flush };
}

export const silentLogger: Logger = consoleLogger('silent');

/** Collects log records in memory; for tests. */
export class MemoryLogger implements Logger {
  readonly records: { level: string; msg: string; fields?: LogFields }[] = [];
  debug(msg: string, fields?: LogFields): void {
    this.records.push({ level: 'debug', msg, fields });
  }
  info(msg: string, fields?: LogFields): void {
    this.records.push({ level: 'info', msg, fields });
  }
  warn(msg: string, fields?: LogFields): void {
    this.records.push({ level: 'warn', msg, fields });
  }
  error(msg: string, fields?: LogFields): void {
    this.records.push({ level: 'error', msg, fields });
  }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x) =>
      Buffer.isBuffer(x) ? `<${x.length} bytes>` : typeof x === 'bigint' ? String(x) : x,
    );
  } catch {
    return '[unserializable]';
  }
}
