/**
 * Many lean devices in one process (the connection and link half; the MQTT half is
 * LeanFleet in lean-fleet.ts). A device is a small record (no object graph of its own:
 * no timers, no emitter besides its socket) driven by the codec and the shared timer wheel;
 * its link (latency, jitter, bandwidth, outages, Gilbert–Elliott, fleet events) is emulated
 * here, per device, between the device and its TCP socket. Every operation goes to the OpLog
 * in the checkers' vocabulary; latencies go to HDR histograms.
 */
import { encodePacket, PacketReader, type Packet } from '../../codec/index.ts';
import { openTcp } from '../../transport/index.ts';
import { connectPlan } from '../connect-plan.ts';
import { CLEAN_LINK, deliveryTime, type Admission, type Existing } from './link-spec.ts';
import { Dev, type DevInit } from './dev-record.ts';
import { newHistogram, Timeline } from './metrics.ts';
import { TimerWheel } from './timer-wheel.ts';
import { K, type FleetOptions } from './fleet-options.ts';
import { sweepDevices } from './sweep.ts';

export { K, type FleetOptions } from './fleet-options.ts';
export { Dev, type DevInit, type Flight } from './dev-record.ts';

const ignore = (): void => {};

/**
 * To a loopback broker, devices connect from 16 loopback source addresses in turn. From one
 * address, connect() must find a free local port for every new connection to the same broker
 * address, and near 14,000 of them the kernel's search took seconds of the worker's time
 * (profiled: node:net internalConnect); spread over 16 sources each has a few hundred.
 */
const sourceOf = (d: Dev): { localAddress?: string } =>
  d.host.startsWith('127.') ? { localAddress: `127.0.0.${2 + (d.slot % 16)}` } : {};

export abstract class LeanLink {
  readonly devs: Dev[] = [];
  readonly wheel: TimerWheel;
  readonly timeline = new Timeline();
  readonly e2e = newHistogram();
  readonly connectLatency = newHistogram();
  errors = 0;
  healed = false;
  readonly ackTimeout: number;
  protected readonly connTimeout: number;

  constructor(readonly o: FleetOptions) {
    this.wheel = new TimerWheel((k, d, a) => this.fire(k, d, a), 5, 4096, o.now());
    this.ackTimeout = o.ackTimeoutMs ?? 8_000;
    this.connTimeout = o.connectTimeoutMs ?? 30_000;
  }

  add(init: DevInit): Dev {
    const dev = new Dev(init, this.devs.length, this);
    this.devs.push(dev);
    return dev;
  }

  private fire(kind: number, di: number, arg: unknown): void {
    const d = this.devs[di];
    switch (kind) {
      case K.dial:
        if (d.want && d.state === 0) this.dial(d);
        break;
      case K.reconnect:
        if (d.want && d.state === 0) this.dial(d);
        break;
      case K.up: {
        const [gen, buf] = arg as [number, Buffer];
        if (gen === d.gen) this.write(d, buf);
        break;
      }
      case K.down: {
        const [gen, buf] = arg as [number, Buffer];
        if (gen === d.gen) this.ingest(d, buf);
        break;
      }
      case K.publish:
        (arg as () => void)();
        break;
      case K.connTimeout:
        if (arg === d.gen && d.state === 1) this.fail(d, 'no CONNACK in time', d.connectSent);
        break;
      case K.link:
        d.net.onTimer(arg);
        break;
      case K.schedule:
        this.scheduled(d);
        break;
      default:
        break;
    }
  }

  // ---- connection ---------------------------------------------------------------------------
  /** The device's first connection, at `at` (epoch ms) on the ramp. */
  start(d: Dev, at: number): void {
    d.want = true;
    this.wheel.at(at, K.dial, d.slot);
  }

  protected index(d: Dev): number {
    return d.slot;
  }

  dial(d: Dev): void {
    const now = this.o.now();
    const plan = connectPlan(
      {
        clientId: d.cid,
        url: '',
        recorder: undefined as never,
        persistent: d.persistent,
        keepAlive: d.keepAlive,
        will: d.will,
        username: this.o.username,
        password: this.o.password,
      },
      this.o.level,
      d.conns,
    );
    d.conns++;
    // 5.0: Clean Start until a connection is first accepted, so an attempt whose CONNACK never
    // came (the server may have made a session) leaves no doubt about the next one.
    if (this.o.level === 5 && d.persistent && !d.ever && !plan.clean) {
      plan.packet.clean = true;
      plan.value.cleanStart = true;
    }
    d.gen++;
    d.state = 1;
    d.dialAt = now;
    this.o.log.op(now, d.cid, 'invoke', 'connect', plan.value);
    const gen = d.gen;
    const admission = d.net.admission();
    if (admission === 'refuse') return this.fail(d, 'link down: connection refused');
    this.wheel.at(now + this.connTimeout, K.connTimeout, this.index(d), gen);
    if (admission === 'blackhole') return; // the SYN is lost; the timeout fails the attempt
    const sock = openTcp({ host: d.host, port: d.port, ...sourceOf(d) });
    d.sock = sock;
    d.reader = new PacketReader({ protocolLevel: this.o.level, from: 'server' });
    d.connectSent = false;
    d.pending = plan.packet;
    sock.on('connect', () => {
      const p = d.pending;
      d.pending = null;
      if (d.gen === gen && p !== null) {
        d.connectSent = true;
        this.send(d, p);
      }
    });
    sock.on('data', (b: Buffer) => {
      if (d.gen === gen) d.net.inbound(b);
    });
    sock.on('error', ignore);
    sock.on('close', () => {
      if (d.gen === gen && d.sock === sock)
        this.lost(d, d.state === 2 ? 'connection closed' : 'connection refused or closed before CONNACK');
    });
  }

  /**
   * A connect attempt failed: record it, back off and retry. Once the CONNECT was on the wire
   * the server may have accepted it (and made a session) without our seeing the CONNACK, so
   * the outcome is unknown (`info`), not a failure.
   */
  protected fail(d: Dev, reason: string, uncertain = false): void {
    const now = this.o.now();
    this.o.log.op(now, d.cid, uncertain ? 'info' : 'fail', 'connect', { clientId: d.cid, reason });
    this.timeline.at(now).connectFailures++;
    this.errors++;
    this.teardown(d);
    this.backoff(d);
  }

  protected backoff(d: Dev): void {
    if (!d.want) return;
    const base = Math.min(10_000, 200 * 2 ** Math.min(d.attempt, 10));
    d.attempt++;
    this.wheel.at(this.o.now() + base * (0.5 + d.rng.next() / 2), K.reconnect, this.index(d));
  }

  protected teardown(d: Dev): void {
    const s = d.sock;
    d.sock = null;
    d.reader = null;
    d.state = 0;
    d.pingAt = 0;
    d.heldUp = null;
    d.heldDown = null;
    d.pending = null;
    d.gen++;
    s?.destroy();
  }

  /** The connection went away without us asking (or we cut it): record, then reconnect. */
  lost(d: Dev, reason: string): void {
    if (d.state === 1) return this.fail(d, reason, d.connectSent);
    if (d.state !== 2) return;
    const now = this.o.now();
    this.o.log.op(now, d.cid, 'info', 'drop', { reason });
    this.timeline.at(now).drops++;
    this.teardown(d);
    this.backoff(d);
  }

  /** Ends the connection without DISCONNECT (the will fires) and never reconnects. */
  crash(d: Dev, reason: string): void {
    d.want = false;
    if (d.state === 2) this.lost(d, reason);
    else this.teardown(d);
  }

  /** Normal DISCONNECT; `record` false at the very end (after the history is closed). */
  disconnect(d: Dev, record: boolean): void {
    d.want = false;
    if (d.state !== 2 || d.sock === null) return this.teardown(d);
    const now = this.o.now();
    if (record) this.o.log.op(now, d.cid, 'invoke', 'disconnect', {});
    const s = d.sock;
    s.end(encodePacket({ type: 'disconnect', ...(this.o.level === 5 ? { reasonCode: 0 } : {}) }, this.o.level));
    d.sock = null;
    this.teardown(d);
    if (record) this.o.log.op(now, d.cid, 'ok', 'disconnect', {});
  }

  // ---- bytes through the emulated link --------------------------------------------------------
  send(d: Dev, p: Packet): void {
    if (d.sock === null) return;
    if (this.dropped(d, 'upstream', p.type)) return;
    const buf = encodePacket(p, this.o.level);
    const now = this.o.now();
    d.lastSent = now;
    this.delayUp(d, buf);
  }

  /** Bytes towards the broker, after the upstream delay (or held while stalled). */
  delayUp(d: Dev, buf: Buffer): void {
    if (d.heldUp !== null) return void d.heldUp.push(buf);
    const l = d.link.up;
    if (l.latency === 0 && l.jitter === 0 && l.rate === 0) return this.write(d, buf);
    const at = deliveryTime(l, this.o.now(), d.upFree, buf.length, d.rng.next());
    d.upFree = at;
    this.wheel.at(at, K.up, this.index(d), [d.gen, buf]);
  }

  write(d: Dev, buf: Buffer): void {
    d.sock?.write(buf);
  }

  /** Bytes from the socket, after the downstream delay (or held while stalled). */
  delayDown(d: Dev, buf: Buffer): void {
    const l = d.link.down;
    if (d.heldDown !== null) return void d.heldDown.push(buf);
    if (l.latency === 0 && l.jitter === 0 && l.rate === 0) return this.ingest(d, buf);
    const at = deliveryTime(l, this.o.now(), d.downFree, buf.length, d.rng.next());
    d.downFree = at;
    this.wheel.at(at, K.down, this.index(d), [d.gen, buf]);
  }

  private dropped(d: Dev, stream: 'upstream' | 'downstream', type: string): boolean {
    if (this.healed || this.o.drops === undefined || d.hub) return false;
    for (const f of this.o.drops) {
      if (f.stream !== stream || !f.types.has(type) || !d.rng.chance(f.probability)) continue;
      this.o.log.op(this.o.now(), 'nemesis', 'info', 'fault', {
        clientId: d.cid,
        link: d.name,
        toxic: f.name,
        action: 'drop',
        packet: type,
        direction: stream,
      });
      return true;
    }
    return false;
  }

  ingest(d: Dev, buf: Buffer): void {
    const r = d.reader;
    if (r === null) return;
    const gen = d.gen;
    for (const res of r.push(buf)) {
      if (!res.ok) return this.lost(d, `protocol violation from server: ${res.violation.message}`);
      if (this.dropped(d, 'downstream', res.packet.type)) continue;
      this.onPacket(d, res.packet);
      if (d.gen !== gen) return;
    }
  }

  /** Once a second: keep alive, acknowledgement timeouts, and the gauges of the timeline. */
  sweep(): void {
    sweepDevices(this);
  }

  /** A packet from the server, after the link (MQTT session logic). */
  protected abstract onPacket(d: Dev, p: Packet): void;

  /** The device's next scheduled publication is due. */
  protected abstract scheduled(d: Dev): void;
}

export type { Admission, Existing };
export { CLEAN_LINK };
