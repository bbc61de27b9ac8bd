/**
 * The facade the resilience scenarios talk to: named devices, one fault-injecting proxy per
 * device link, a shared history, and the guarantee checkers. Durations written in a scenario
 * are multiplied by `timeScale` so a "10 seconds" fault window costs a fraction of that.
 */
import type { QoS } from '../codec/index.ts';
import { createRng, hashString, sleep, systemClock, type Clock, type Rng } from '../common/index.ts';
import { createProxy, loadProfile, type Proxy, type ToxicInput } from '../proxy/index.ts';
import { startBroker, type Misbehave, type RunningBroker } from '../broker/index.ts';
import {
  CHECKERS,
  HistoryRecorder,
  formatResult,
  runChecker,
  toJsonLines,
  type AllOptions,
  type CheckResult,
  type CheckerName,
} from '../checker/index.ts';
import { Device, type DeviceOptions } from './device.ts';
import { cleanUpTarget, retainedTopicsOf } from './cleanup.ts';
import {
  decideWithin,
  notCaught,
  notShown,
  pollUntil,
  settleQuiet,
  within,
  type HarnessOptions,
  type PublishOptions,
} from './resilience-checks.ts';

export class ResilienceHarness {
  readonly recorder: HistoryRecorder;
  readonly rng: Rng;
  readonly timeScale: number;
  readonly level: 4 | 5;
  private readonly clock: Clock;
  private readonly devices = new Map<string, Device>();
  private readonly proxies = new Map<string, Proxy>();
  private brokerUrl: string;
  private ownBroker: RunningBroker | undefined;
  readonly results: CheckResult[] = [];
  /** Background publishing started by startPublishing; awaited before checking. */
  private readonly workloads: Promise<unknown>[] = [];
  /** Toxics for every link, including links made later. */
  private readonly everyLink: ToxicInput[] = [];
  private closed = false;

  constructor(readonly opts: HarnessOptions) {
    this.clock = opts.clock ?? systemClock;
    this.recorder = new HistoryRecorder(this.clock, { maxOps: 500_000 });
    this.rng = createRng(opts.seed);
    this.timeScale = opts.timeScale ?? 0.1;
    this.level = opts.version === '5.0' ? 5 : 4;
    this.brokerUrl = opts.brokerUrl;
  }

  /** Scales a scenario duration (ms) to real ms. */
  ms(n: number): number {
    return Math.max(1, Math.round(n * this.timeScale));
  }

  clientId(name: string): string {
    return `${this.opts.prefix}-${name}`;
  }

  topic(t: string): string {
    return `rh/${this.opts.prefix}/${t}`;
  }

  /** Runs the scenario against a private embedded broker (negative controls use `misbehave`). */
  async useOwnBroker(misbehave?: Misbehave): Promise<void> {
    if (this.devices.size > 0 || this.proxies.size > 0)
      throw new Error('useOwnBroker must come before any device or link');
    this.ownBroker = await startBroker({ host: '127.0.0.1', port: 0, ...(misbehave ? { misbehave } : {}) });
    this.brokerUrl = this.ownBroker.url;
  }

  /**
   * The fault-injecting proxy between a device and the broker (every device gets one, so
   * faults can be added at any time); adds a link profile's toxics and/or extra toxics.
   */
  async link(name: string, o: { profile?: string; toxics?: ToxicInput[] } = {}): Promise<Proxy> {
    let p = this.proxies.get(name);
    if (p === undefined) {
      p = await createProxy({ upstream: this.brokerUrl, seed: (this.opts.seed ^ hashString(name)) >>> 0 });
      p.onFault((ev) => this.recorder.fault({ ...ev, link: `${name}#${ev.link ?? ''}` }));
      this.proxies.set(name, p);
      for (const t of this.everyLink) p.addToxic(this.scoped(name, t));
    }
    const toxics = [...(o.profile ? loadProfile(o.profile).toxics : []), ...(o.toxics ?? [])];
    for (const t of toxics) p.addToxic(t);
    return p;
  }

  /** Adds a toxic on a device's link (creating the link if needed); the toxic sees only this device. */
  async fault(name: string, t: ToxicInput): Promise<void> {
    const p = this.proxies.get(name) ?? (await this.link(name));
    p.addToxic(this.scoped(name, t));
  }

  /** Adds a toxic on every device link, now and for links made later. */
  faultEverywhere(t: ToxicInput): void {
    this.everyLink.push(t);
    for (const [name, p] of this.proxies) p.addToxic(this.scoped(name, t));
  }

  /** mqtt_* toxics are limited to the link's own device. */
  private scoped(name: string, t: ToxicInput): ToxicInput {
    const scoped: Record<string, string> = t.type.startsWith('mqtt_') ? { client_id: this.clientId(name) } : {};
    return { ...t, attributes: { ...scoped, ...(t.attributes ?? {}) } };
  }

  /** Cuts the device's open link(s) now; the device notices and reconnects. */
  cut(name: string, how: 'close' | 'reset' = 'reset'): number {
    const p = this.proxies.get(name);
    if (p === undefined) throw new Error(`"${name}" has no proxy link to cut; give it a link first`);
    return p.cut({ clientId: this.clientId(name) }, how);
  }

  /** The named device, created and connected on first use. */
  async device(name: string, o: Partial<Omit<DeviceOptions, 'clientId' | 'url' | 'recorder'>> = {}): Promise<Device> {
    let d = this.devices.get(name);
    if (d !== undefined) return d;
    const url = (await this.link(name)).url;
    d = new Device({
      clientId: this.clientId(name),
      url,
      recorder: this.recorder,
      level: this.level,
      clock: this.clock,
      rng: this.rng.fork(name),
      keepAlive: 2,
      ackTimeoutMs: Math.max(150, this.ms(3000)),
      backoff: { initialMs: 20, maxMs: 200, maxAttempts: 200 },
      connectTimeoutMs: 2000,
      username: this.opts.username,
      password: this.opts.password,
      ...o,
    });
    this.devices.set(name, d);
    if (!(await d.start())) throw new Error(`"${name}" could not connect to ${url}`);
    return d;
  }

  get(name: string): Device {
    const d = this.devices.get(name);
    if (d === undefined) throw new Error(`no device "${name}" in this scenario`);
    return d;
  }

  async subscribe(name: string, filter: string, qos: QoS, o: { persistent?: boolean } = {}): Promise<void> {
    const d = await this.device(name, { persistent: o.persistent === true });
    const ok = await this.within(
      d.subscribe([{ filter: this.topic(filter), qos }]),
      `"${name}" subscribing to "${filter}"`,
    );
    if (!ok) throw new Error(`"${name}" could not subscribe to "${filter}" (refused or connection lost)`);
  }

  /**
   * Publishes `count` messages (payload = message id). `oneAtATime` waits for each
   * acknowledgement (an in-flight window of 1); otherwise the device's window applies.
   */
  async publish(name: string, count: number, topic: string, qos: QoS, o: PublishOptions = {}): Promise<void> {
    if (!Number.isInteger(count) || count < 1 || count > 10_000)
      throw new RangeError(`message count must be 1..10000, got ${count}`);
    const d = await this.device(name, { persistent: true, ...(o.oneAtATime ? { maxInflight: 1 } : {}) });
    const all: Promise<unknown>[] = [];
    for (let i = 0; i < count; i++) {
      const p = d.publish(this.topic(topic), qos, { retain: o.retain });
      if (o.oneAtATime) await this.within(p, `"${name}" message ${i + 1}`);
      else all.push(p);
      if (o.intervalMs) await sleep(this.ms(o.intervalMs));
    }
    await this.within(Promise.all(all), `"${name}" publishing ${count} messages`);
  }

  /** Starts publishing in the background (a workload the nemesis can hit); checks wait for it. */
  startPublishing(name: string, count: number, topic: string, qos: QoS, o: PublishOptions = {}): void {
    const w = this.publish(name, count, topic, qos, o);
    w.catch(() => {});
    this.workloads.push(w);
  }

  /** Waits for every background workload; a failed one fails here. */
  async finishWorkloads(): Promise<void> {
    const all = this.workloads.splice(0);
    await this.within(Promise.all(all), `${all.length} background workload(s)`);
  }

  async disconnect(name: string): Promise<void> {
    await this.get(name).disconnect();
  }

  crash(name: string): void {
    this.get(name).crash();
  }

  /** Reconnects a device that was stopped (crash / disconnect), resuming its session if persistent. */
  async reconnect(name: string): Promise<void> {
    if (!(await this.get(name).start())) throw new Error(`"${name}" could not reconnect`);
  }

  /** Polls until `cond` holds or the wait bound passes; returns whether it held. */
  async waitFor(cond: () => boolean): Promise<boolean> {
    return pollUntil(cond, this.opts.maxWaitMs ?? 5000);
  }

  async wait(scenarioMs: number): Promise<void> {
    await sleep(this.ms(scenarioMs));
  }

  /** Waits until every running device is connected and idle and the history has been quiet for a while. */
  async settle(quietMs = 60): Promise<void> {
    await settleQuiet(
      () => [...this.devices.values()].some((d) => !d.idle),
      () => this.recorder.size,
      quietMs,
      this.opts.maxWaitMs ?? 5000,
    );
  }

  /** Runs checkers; keeps their results for the report. */
  check(names: readonly CheckerName[], o: AllOptions = {}): CheckResult[] {
    const rs = names.map((n) => runChecker(CHECKERS[n], this.recorder.history, this.checkOptions(o)));
    this.results.push(...rs);
    return rs;
  }

  /**
   * Settles, then checks until every checker is decided (valid with nothing undecided, or
   * invalid) or the wait bound passes. Throws unless all hold and each decided something.
   */
  async expectValid(names: readonly CheckerName[], o: AllOptions = {}): Promise<CheckResult[]> {
    const rs = await this.decide(names, o);
    const failure = notShown(rs, this.opts.seed);
    if (failure) throw failure;
    return rs;
  }

  /** For negative controls: the checker must find a violation; returns its result. */
  async expectInvalid(name: CheckerName, o: AllOptions = {}): Promise<CheckResult> {
    const [r] = await this.decide([name], o);
    const failure = notCaught(name, r, this.opts.seed);
    if (failure) throw failure;
    return r;
  }

  private async decide(names: readonly CheckerName[], o: AllOptions): Promise<CheckResult[]> {
    await this.finishWorkloads();
    await this.settle();
    const rs = await decideWithin(
      () => names.map((n) => runChecker(CHECKERS[n], this.recorder.history, this.checkOptions(o))),
      this.opts.maxWaitMs ?? 5000,
    );
    this.results.push(...rs);
    return rs;
  }

  private checkOptions(o: AllOptions): AllOptions {
    return { version: this.opts.version, endTime: this.clock.now(), ...o };
  }

  /** History as JSON lines plus the check results, for attaching to a failed scenario. */
  artifacts(): { seed: number; history: string; results: string } {
    return {
      seed: this.opts.seed,
      history: toJsonLines(this.recorder.history),
      results: this.results.map(formatResult).join('\n'),
    };
  }

  private within<T>(p: Promise<T>, what: string): Promise<T> {
    return within(p, this.opts.maxWaitMs ?? 5000, what);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const d of this.devices.values()) d.close();
    this.recorder.finish('scenario ended');
    await Promise.all([...this.proxies.values()].map((p) => p.close().catch(() => {})));
    if (this.ownBroker === undefined) {
      await this.within(
        cleanUpTarget({
          brokerUrl: this.brokerUrl,
          level: this.level,
          clientIds: [...this.devices.keys()].map((n) => this.clientId(n)),
          retainedTopics: retainedTopicsOf(this.recorder.history),
          username: this.opts.username,
          password: this.opts.password,
        }),
        'cleaning up the target broker',
      ).catch(() => {});
    }
    await this.ownBroker?.close();
  }
}
