/**
 * createProxy(): a TCP listener that opens one Link per client connection towards the
 * upstream broker, applies the toxics currently configured, keeps statistics and reports
 * every fault to onFault listeners.
 */
import type { Socket } from 'node:net';
import { createRng, hashString, seedFromEnv } from '../common/rng.ts';
import { BusyPoller, checkBusyPollMs } from './busy-poll.ts';
import { formatHostPort, parseListen, parseUpstream, type UpstreamTarget } from './address.ts';
import { Link, type LinkHost, type StageToxicInstance } from './link.ts';
import { AdmissionState } from './admission.ts';
import { ProxyListener } from './listener.ts';
import { loadProfile } from './profiles.ts';
import { systemScheduler, type Scheduler } from './scheduler.ts';
import { FaultLog } from './fault-log.ts';
import { StatsTotals } from './stats.ts';
import { normalizeToxic, ToxicError } from './toxics/registry.ts';
import type { ProxyControl, ProxyToxic, ProxyToxicDef, StageToxicDef } from './toxics/toxic.ts';
import type { FaultEvent, LinkStats, ProxyStats, ToxicInput, ToxicSpec } from './types.ts';
import type { Proxy, ProxyOptions } from './proxy-api.ts';

export type { Proxy, ProxyOptions } from './proxy-api.ts';

export async function createProxy(opts: ProxyOptions): Promise<Proxy> {
  const p = new ProxyImpl(opts);
  await p.start();
  return p;
}

class ProxyImpl implements Proxy {
  readonly name: string;
  readonly seed: number;
  readonly upstream: string;
  enabled = true;
  private readonly target: UpstreamTarget;
  private readonly mqtt: boolean;
  private readonly sched: Scheduler;
  private readonly listener: ProxyListener;
  private readonly sockets = new Set<Socket>();
  private readonly open = new Set<Link>();
  private closedLinks: Link[] = [];
  private readonly totals = new StatsTotals();
  private readonly specs = new Map<string, ToxicSpec>();
  private readonly stageToxics = new Map<string, StageToxicInstance>();
  private readonly proxyToxics = new Map<string, ProxyToxic>();
  private readonly admission = new AdmissionState();
  private readonly faultLog: FaultLog;
  private nextId = 1;
  private connections = 0;
  private refused = 0;
  private closing = false;
  private poller: BusyPoller | undefined;

  constructor(private readonly opts: ProxyOptions) {
    this.name = opts.name ?? 'mqtt';
    this.seed = (opts.seed ?? seedFromEnv()) >>> 0;
    const l = parseListen(opts.listen ?? '127.0.0.1:0');
    this.listener = new ProxyListener(this.name, l.host, l.port, (s) => this.accept(s));
    this.upstream = opts.upstream;
    this.target = parseUpstream(opts.upstream);
    this.mqtt = opts.mqtt ?? this.target.framable;
    if (this.mqtt && !this.target.framable)
      throw new Error(`mqtt framing needs a plain TCP upstream, not ${opts.upstream}`);
    this.sched = opts.scheduler ?? systemScheduler();
    this.faultLog = new FaultLog(opts.faultLogLimit ?? 100_000);
    this.linkHost.sched = this.sched;
    this.linkHost.seed = this.seed;
    this.linkHost.decode = opts.decode === true && this.mqtt;
    const busy = checkBusyPollMs(opts.busyPollMs ?? 0);
    if (busy > 0) this.linkHost.activity = (this.poller = new BusyPoller(busy)).touch;
  }

  get host(): string {
    return this.listener.host;
  }

  get port(): number {
    return this.listener.port;
  }

  /** The URL clients use: same scheme (and WebSocket path) as the upstream, the proxy's address. */
  get url(): string {
    const sc = this.target.scheme === 'tcp' ? 'mqtt' : this.target.scheme;
    return `${sc}://${formatHostPort(this.host, this.port)}${this.target.path}`;
  }

  async start(): Promise<void> {
    const profile = typeof this.opts.profile === 'string' ? loadProfile(this.opts.profile) : this.opts.profile;
    const all = [...(profile?.toxics ?? []), ...(this.opts.toxics ?? [])];
    all.forEach((t, i) => normalizeToxic(t, `toxics[${i}]`)); // validate all before acting on any
    await this.listener.listen();
    for (const t of all) this.addToxic(t);
  }

  /** Applies the combined admission state: refuse = listener closed (ECONNREFUSED). */
  private applyAdmission(): void {
    if (this.closing) return;
    const a = this.enabled ? this.admission.effective() : 'refuse';
    if (a === 'refuse') this.listener.stop();
    else {
      this.listener.resume((e) =>
        this.faultLog.emit({
          time: this.sched.now(),
          toxic: '(proxy)',
          action: 'refuse',
          detail: { error: e.message },
        }),
      );
      if (a === 'open') for (const l of this.open) l.gate(false);
    }
  }

  private accept(s: Socket): void {
    if (this.closing || !this.enabled) {
      this.refused++;
      return void s.destroy();
    }
    this.connections++;
    this.sockets.add(s);
    s.once('close', () => this.sockets.delete(s));
    const link = new Link(
      this.linkHost,
      this.nextId++,
      s,
      this.target,
      this.mqtt,
      this.admission.effective() === 'blackhole',
    );
    this.open.add(link);
    if (this.admission.stalled) link.stall(true);
    for (const t of this.stageToxics.values()) link.addToxic(t);
  }

  private readonly linkHost: LinkHost = {
    sched: systemScheduler(),
    seed: 0,
    emitFault: (ev: FaultEvent) => this.faultLog.emit(ev),
    linkClosed: (l: Link) => {
      this.open.delete(l);
      this.totals.add(l.stats());
      this.closedLinks.push(l);
      if (this.closedLinks.length > 1000) this.closedLinks = this.closedLinks.slice(-500);
    },
  };

  addToxic(t: ToxicInput): ToxicSpec {
    const { spec, def, attrs } = normalizeToxic(t);
    if (this.specs.has(spec.name))
      throw new ToxicError(`toxic "${spec.name}" already exists on proxy ${this.name}`, 'name');
    this.specs.set(spec.name, spec);
    if (def.kind === 'stage') {
      const inst: StageToxicInstance = {
        spec,
        def: def as StageToxicDef<unknown>,
        attrs,
        shared: {},
        addedAt: this.sched.now(),
      };
      this.stageToxics.set(spec.name, inst);
      for (const l of this.open) l.addToxic(inst);
    } else {
      this.proxyToxics.set(spec.name, (def as ProxyToxicDef<unknown>).create(attrs, this.control(spec.name)));
    }
    return structuredClone(spec);
  }

  private control(toxic: string): ProxyControl {
    return {
      sched: this.sched,
      rng: createRng((this.seed ^ hashString(`proxy/${toxic}`)) >>> 0),
      toxic,
      setAdmission: (a) => {
        this.admission.set(toxic, a);
        this.applyAdmission();
      },
      cutLinks: (how) => {
        for (const l of [...this.open]) this.cutLink(l, toxic, how);
      },
      stallLinks: (on) => {
        this.admission.stall(toxic, on);
        for (const l of this.open) l.stall(this.admission.stalled);
      },
      fault: (action, detail) =>
        this.faultLog.emit({ time: this.sched.now(), toxic, action, ...(detail !== undefined ? { detail } : {}) }),
    };
  }

  removeToxic(name: string): void {
    if (!this.specs.delete(name)) throw new ToxicError(`no toxic "${name}" on proxy ${this.name}`, 'name');
    const st = this.stageToxics.get(name);
    if (st !== undefined) {
      this.stageToxics.delete(name);
      for (const l of this.open) l.removeToxic(name, st.def.bothStreams === true);
    }
    const pt = this.proxyToxics.get(name);
    if (pt !== undefined) {
      this.proxyToxics.delete(name);
      pt.dispose();
    }
  }

  updateToxic(name: string, change: Partial<Omit<ToxicInput, 'name' | 'type'>>): ToxicSpec {
    const old = this.specs.get(name);
    if (old === undefined) throw new ToxicError(`no toxic "${name}" on proxy ${this.name}`, 'name');
    const next: ToxicInput = {
      name,
      type: old.type,
      stream: change.stream ?? old.stream,
      toxicity: change.toxicity ?? old.toxicity,
      attributes: { ...old.attributes, ...(change.attributes ?? {}) },
    };
    normalizeToxic(next); // throws before anything is removed
    this.removeToxic(name);
    return this.addToxic(next);
  }

  toxic(name: string): ToxicSpec | undefined {
    const s = this.specs.get(name);
    return s === undefined ? undefined : structuredClone(s);
  }

  toxics(): ToxicSpec[] {
    return [...this.specs.values()].map((s) => structuredClone(s));
  }

  async reset(): Promise<void> {
    for (const n of [...this.specs.keys()]) this.removeToxic(n);
    await this.setEnabled(true);
  }

  async setEnabled(on: boolean): Promise<void> {
    if (this.enabled === on) return;
    this.enabled = on;
    if (!on) for (const l of [...this.open]) l.destroy();
    this.applyAdmission();
    await this.listener.pending;
  }

  stats(): ProxyStats {
    return this.totals.snapshot(
      [...this.open].map((l) => l.stats()),
      this.connections,
      this.refused,
      this.faultLog.proxyFaults,
    );
  }

  links(): LinkStats[] {
    return [...this.closedLinks, ...this.open].map((l) => l.stats());
  }

  cut(filter: { clientId?: string; link?: number } = {}, how: 'close' | 'reset' = 'reset'): number {
    let n = 0;
    for (const l of [...this.open]) {
      if (filter.clientId !== undefined && l.clientId !== filter.clientId) continue;
      if (filter.link !== undefined && l.id !== filter.link) continue;
      this.cutLink(l, '(manual)', how);
      n++;
    }
    return n;
  }

  /** Ends one link (close or reset), recorded as a fault of `toxic`. */
  private cutLink(l: Link, toxic: string, how: 'close' | 'reset'): void {
    this.faultLog.emit({
      time: this.sched.now(),
      link: l.id,
      ...(l.clientId !== undefined ? { clientId: l.clientId } : {}),
      toxic,
      action: how,
    });
    l.faults[toxic] = (l.faults[toxic] ?? 0) + 1;
    l.terminate(how);
  }

  onFault(fn: (ev: FaultEvent) => void): () => void {
    return this.faultLog.onFault(fn);
  }

  faults(): FaultEvent[] {
    return this.faultLog.events();
  }

  async close(): Promise<void> {
    this.closing = true;
    this.poller?.stop();
    for (const t of this.proxyToxics.values()) t.dispose();
    this.proxyToxics.clear();
    for (const l of this.open) l.destroy();
    for (const s of this.sockets) s.destroy();
    await this.listener.close();
  }
}
