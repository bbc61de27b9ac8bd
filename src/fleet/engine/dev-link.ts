/**
 * The emulated link state of one device: a Gilbert–Elliott chain and an outage schedule from
 * its profile (the proxy's decision code: geStep, outageStateAt), plus fleet events (outages
 * of a share of the fleet). While any cause holds the link is down: open connections stall
 * (bytes held both ways) or are reset, and new connections are refused or blackholed.
 */
import { geStep, outageStateAt } from '../../proxy/index.ts';
import type { Rng } from '../../common/index.ts';
import { LeanRng } from './lean-rng.ts';
import type { Admission, Existing, LinkSpec } from './link-spec.ts';
import type { OpLog } from './op-log.ts';
import type { TimerWheel } from './timer-wheel.ts';

/** What the link state reads of its device (a lean device record has these fields). */
export interface LinkDev {
  slot: number;
  name: string;
  cid: string;
  link: LinkSpec;
  rng: Rng;
  state: 0 | 1 | 2;
  heldUp: Buffer[] | null;
  heldDown: Buffer[] | null;
}

/** What the link state uses of the fleet that owns the device. */
export interface LinkHost<D extends LinkDev> {
  readonly wheel: TimerWheel;
  readonly o: { log: OpLog; now: () => number };
  healed: boolean;
  lost(d: D, reason: string): void;
  delayUp(d: D, buf: Buffer): void;
  delayDown(d: D, buf: Buffer): void;
}

type Cause = 'ge' | 'outage' | 'event';
type Timer = { c: 'ge' } | { c: 'outage' } | { c: 'event'; on: boolean; existing: Existing };
/** The two timers every step of a chain re-arms, shared instead of allocated per step. */
const GE: Timer = Object.freeze({ c: 'ge' });
const OUTAGE: Timer = Object.freeze({ c: 'outage' });

export class DevLink<Dev extends LinkDev = LinkDev> {
  private ge = false;
  private outage = false;
  private events = 0;
  private eventMode: Existing = 'reset';
  private geRng: Rng | undefined;
  private t0 = 0;

  constructor(
    private readonly f: LinkHost<Dev>,
    private readonly d: Dev,
  ) {}

  get down(): boolean {
    return this.ge || this.outage || this.events > 0;
  }

  /** What a new connection meets now. */
  admission(): 'open' | Admission {
    if (!this.down) return 'open';
    if (this.events > 0) return 'refuse';
    return (this.ge ? this.d.link.flaky?.new_connections : this.d.link.outage?.new_connections) ?? 'refuse';
  }

  private mode(): Existing {
    if (this.events > 0) return this.eventMode;
    return (this.ge ? this.d.link.flaky?.existing : this.d.link.outage?.existing) ?? 'reset';
  }

  /** Starts the profile's chain and schedule at `t0`, and the device's fleet events. */
  arm(t0: number, events: { at: number; until: number; existing: Existing }[], start: number): void {
    this.t0 = t0;
    const l = this.d.link;
    const slot = this.d.slot;
    if (l.flaky) {
      this.geRng = new LeanRng(this.d.rng.seed ^ 0x9e3779b9);
      this.f.wheel.at(t0 + l.flaky.step_ms, 7, slot, GE);
    }
    if (l.outage) {
      const st = outageStateAt(l.outage, 0);
      if (st.down) this.set('outage', true);
      if (Number.isFinite(st.nextChangeIn)) this.f.wheel.at(t0 + st.nextChangeIn, 7, slot, OUTAGE);
    }
    for (const e of events) {
      this.f.wheel.at(start + e.at, 7, slot, { c: 'event', on: true, existing: e.existing });
      if (Number.isFinite(e.until))
        this.f.wheel.at(start + e.until, 7, slot, { c: 'event', on: false, existing: e.existing });
    }
  }

  onTimer(arg: unknown): void {
    if (this.f.healed) return;
    const t = arg as Timer;
    const now = this.f.o.now();
    const slot = this.d.slot;
    if (t.c === 'ge' && this.d.link.flaky && this.geRng) {
      const next = geStep(this.ge ? 'bad' : 'good', this.d.link.flaky, this.geRng) === 'bad';
      if (next !== this.ge) this.set('ge', next);
      this.f.wheel.at(now + this.d.link.flaky.step_ms, 7, slot, GE);
    } else if (t.c === 'outage' && this.d.link.outage) {
      const st = outageStateAt(this.d.link.outage, now - this.t0);
      this.set('outage', st.down);
      if (Number.isFinite(st.nextChangeIn)) this.f.wheel.at(now + Math.max(1, st.nextChangeIn), 7, slot, OUTAGE);
    } else if (t.c === 'event') {
      this.eventMode = t.existing;
      this.set('event', t.on);
    }
  }

  private set(cause: Cause, on: boolean): void {
    const was = this.down;
    if (cause === 'ge') this.ge = on;
    else if (cause === 'outage') this.outage = on;
    else this.events = Math.max(0, this.events + (on ? 1 : -1));
    const now = this.down;
    if (was === now) return;
    const d = this.d;
    const toxic = cause === 'ge' ? 'gilbert-elliott' : cause === 'outage' ? 'outage' : 'fleet-outage';
    const action = cause === 'ge' ? (now ? 'bad-state' : 'good-state') : now ? 'outage-start' : 'outage-end';
    this.f.o.log.op(this.f.o.now(), 'nemesis', 'info', 'fault', {
      clientId: d.cid,
      link: `${d.name}#${d.link.name}`,
      toxic,
      action,
    });
    if (now) {
      if (d.state === 0) return;
      if (this.mode() === 'stall') {
        d.heldUp ??= [];
        d.heldDown ??= [];
      } else this.f.lost(d, `link down (${toxic}): connection reset`);
    } else this.flush();
  }

  /** Bytes arriving from the broker's side of the link. */
  inbound(b: Buffer): void {
    this.f.delayDown(this.d, b);
  }

  private flush(): void {
    const d = this.d;
    const up = d.heldUp;
    const down = d.heldDown;
    d.heldUp = null;
    d.heldDown = null;
    for (const b of up ?? []) this.f.delayUp(d, b);
    for (const b of down ?? []) this.f.delayDown(d, b);
  }

  /** The end of the fault window: every cause clears and held bytes flow. */
  heal(): void {
    const was = this.down;
    this.ge = false;
    this.outage = false;
    this.events = 0;
    if (was) this.flush();
  }
}
