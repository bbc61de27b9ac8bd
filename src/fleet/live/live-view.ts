/**
 * The live view of a running fleet: on a terminal a cli-progress bar with one status line a
 * second (connected, msgs/s out and in, p50/p99 end-to-end, errors, links down); in CI or
 * when piped a plain line every 5 s; and the same numbers as Prometheus text for
 * --metrics-port. Aggregates the workers' per-second stats.
 */
import { createServer, type Server } from 'node:http';
import cliProgress from 'cli-progress';
import type { LiveStats } from '../engine/part.ts';
import { decodeHistogram, newHistogram } from '../engine/metrics.ts';

export interface LiveTotals {
  devices: number;
  connected: number;
  faulty: number;
  published: number;
  received: number;
  errors: number;
  drops: number;
  outPerS: number;
  inPerS: number;
  p50?: number;
  p99?: number;
  phase: string;
}

export class LiveView {
  private readonly latest = new Map<string, LiveStats>();
  private prev = { published: 0, received: 0, t: Date.now() };
  private totals: LiveTotals = {
    devices: 0,
    connected: 0,
    faulty: 0,
    published: 0,
    received: 0,
    errors: 0,
    drops: 0,
    outPerS: 0,
    inPerS: 0,
    phase: 'starting',
  };
  private bar: cliProgress.SingleBar | undefined;
  private timer: NodeJS.Timeout | undefined;
  private server: Server | undefined;
  private lastPlain = 0;

  constructor(
    private readonly o: {
      devices: number;
      durationMs: number;
      tty: boolean;
      print: (line: string) => void;
      plainEveryMs?: number;
    },
  ) {}

  update(l: LiveStats): void {
    this.latest.set(l.tag, l);
  }

  start(): void {
    const t0 = Date.now();
    if (this.o.tty) {
      this.bar = new cliProgress.SingleBar(
        {
          format:
            '{bar} {percentage}% | {phase} | {connected}/{devices} connected | out {out}/s in {in}/s | p50 {p50} p99 {p99} | errors {errors} | links down {faulty}',
          hideCursor: true,
          clearOnComplete: false,
          barsize: 24,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(this.o.durationMs, 0, this.payload());
    }
    this.timer = setInterval(() => {
      this.aggregate();
      const el = Date.now() - t0;
      if (this.bar) this.bar.update(Math.min(el, this.o.durationMs), this.payload());
      else if (Date.now() - this.lastPlain >= (this.o.plainEveryMs ?? 5000)) {
        this.lastPlain = Date.now();
        this.o.print(this.plainLine(el));
      }
    }, 1000);
  }

  private payload(): Record<string, string | number> {
    const t = this.totals;
    const f = (v: number | undefined) => (v === undefined ? '-' : `${v.toFixed(v < 10 ? 1 : 0)}ms`);
    return {
      phase: t.phase,
      connected: t.connected,
      devices: this.o.devices,
      out: t.outPerS,
      in: t.inPerS,
      p50: f(t.p50),
      p99: f(t.p99),
      errors: t.errors,
      faulty: t.faulty,
    };
  }

  plainLine(elapsedMs: number): string {
    const p = this.payload();
    return `[${Math.round(elapsedMs / 1000)}s] ${p.phase}: connected=${p.connected}/${p.devices} out=${p.out}/s in=${p.in}/s p50=${p.p50} p99=${p.p99} published=${this.totals.published} received=${this.totals.received} errors=${p.errors} links_down=${p.faulty}`;
  }

  /** Folds the workers' latest stats into the totals (called once a second by the view). */
  aggregate(): void {
    const ls = [...this.latest.values()];
    const h = newHistogram();
    for (const l of ls) if (l.e2e) h.add(decodeHistogram(l.e2e));
    const sum = (k: 'connected' | 'faulty' | 'published' | 'received' | 'errors' | 'drops' | 'devices') =>
      ls.reduce((n, l) => n + l[k], 0);
    const now = Date.now();
    const dt = Math.max(0.001, (now - this.prev.t) / 1000);
    const published = sum('published');
    const received = sum('received');
    this.totals = {
      devices: sum('devices'),
      connected: sum('connected'),
      faulty: sum('faulty'),
      published,
      received,
      errors: sum('errors'),
      drops: sum('drops'),
      outPerS: Math.round((published - this.prev.published) / dt),
      inPerS: Math.round((received - this.prev.received) / dt),
      p50: h.totalCount > 0 ? h.getValueAtPercentile(50) / 1000 : undefined,
      p99: h.totalCount > 0 ? h.getValueAtPercentile(99) / 1000 : undefined,
      phase: ls.map((l) => l.phase).sort()[0] ?? 'starting',
    };
    this.prev = { published, received, t: now };
  }

  /** Prometheus text exposition of the live totals. */
  prometheus(): string {
    const t = this.totals;
    const g = (name: string, help: string, v: number | undefined, type = 'gauge') =>
      v === undefined ? '' : `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name} ${v}\n`;
    return (
      g('fleet_devices', 'devices in this run', this.o.devices) +
      g('fleet_connected', 'devices connected now', t.connected) +
      g('fleet_links_down', 'devices whose emulated link is down now', t.faulty) +
      g('fleet_published_total', 'application messages published', t.published, 'counter') +
      g('fleet_received_total', 'messages received by hubs and devices', t.received, 'counter') +
      g('fleet_errors_total', 'connect and publish failures', t.errors, 'counter') +
      g('fleet_drops_total', 'connections lost', t.drops, 'counter') +
      g('fleet_e2e_latency_p50_ms', 'end-to-end latency p50 over the last second', t.p50) +
      g('fleet_e2e_latency_p99_ms', 'end-to-end latency p99 over the last second', t.p99)
    );
  }

  async serve(port: number): Promise<number> {
    this.server = createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end('try /metrics\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(this.prometheus());
    });
    await new Promise<void>((resolve, reject) =>
      this.server!.once('error', reject).listen(port, '127.0.0.1', () => resolve()),
    );
    const a = this.server.address();
    return typeof a === 'object' && a !== null ? a.port : port;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.aggregate();
    this.bar?.update(this.o.durationMs, this.payload());
    this.bar?.stop();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
