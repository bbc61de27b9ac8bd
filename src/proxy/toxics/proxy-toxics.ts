/**
 * Proxy-level toxics: they act on the listener (new connections) and on every open link.
 *  - refuse: new connections are refused (or blackholed) for duration_ms.
 *  - outage: periodic up/down schedule; while down, links are cut (or stalled) and new
 *    connections refused (or blackholed).
 *  - flaky: Gilbert–Elliott good/bad chain stepped every step_ms; bad behaves like an outage.
 */
import { z } from 'zod';
import { geStep, type GeState } from '../decision/gilbert-elliott.ts';
import { outageStateAt } from '../decision/outage.ts';
import { duration, prob } from './attrs.ts';
import type { ProxyControl, ProxyToxic, ProxyToxicDef } from './toxic.ts';

const refuseSchema = z.object({
  /** 0 = until the toxic is removed. */
  duration_ms: duration.default(0),
  mode: z.enum(['refuse', 'blackhole']).default('refuse'),
});
export const refuse: ProxyToxicDef<z.infer<typeof refuseSchema>> = {
  kind: 'proxy',
  type: 'refuse',
  schema: refuseSchema,
  create(a, ctl) {
    ctl.setAdmission(a.mode);
    ctl.fault('outage-start', { mode: a.mode, ms: a.duration_ms });
    let cancel: (() => void) | undefined;
    if (a.duration_ms > 0) {
      cancel = ctl.sched.setTimer(a.duration_ms, () => {
        cancel = undefined;
        ctl.setAdmission('open');
        ctl.fault('outage-end');
      });
    }
    return { dispose: () => (cancel?.(), ctl.setAdmission('open')) };
  },
};

const downBehaviour = {
  /** What happens to new connections while down. */
  new_connections: z.enum(['refuse', 'blackhole']).default('refuse'),
  /** What happens to open links when going down: cut them, or stall their data until up. */
  existing: z.enum(['close', 'reset', 'stall']).default('reset'),
};

/** Shared by outage and flaky: enter/leave the down state. */
function downSwitch(
  ctl: ProxyControl,
  a: { new_connections: 'refuse' | 'blackhole'; existing: 'close' | 'reset' | 'stall' },
) {
  let down = false;
  return {
    set(on: boolean, detail: Record<string, number | string>, cut = true) {
      if (on === down) return;
      down = on;
      if (on) {
        ctl.fault('outage-start', detail);
        ctl.setAdmission(a.new_connections);
        if (a.existing === 'stall') ctl.stallLinks(true);
        else if (cut) ctl.cutLinks(a.existing);
      } else {
        ctl.setAdmission('open');
        ctl.stallLinks(false);
        ctl.fault('outage-end', detail);
      }
    },
    get down() {
      return down;
    },
  };
}

const outageSchema = z.object({
  up_ms: duration,
  down_ms: duration,
  start: z.enum(['up', 'down']).default('up'),
  /** Number of outages; 0 = repeat forever. */
  cycles: z.number().int().min(0).default(0),
  ...downBehaviour,
});
export const outage: ProxyToxicDef<z.infer<typeof outageSchema>> = {
  kind: 'proxy',
  type: 'outage',
  schema: outageSchema,
  create(a, ctl): ProxyToxic {
    const t0 = ctl.sched.now();
    const sw = downSwitch(ctl, a);
    let cancel: (() => void) | undefined;
    const tick = () => {
      const st = outageStateAt(a, ctl.sched.now() - t0);
      sw.set(st.down, { outage: st.outage });
      cancel = Number.isFinite(st.nextChangeIn) ? ctl.sched.setTimer(st.nextChangeIn, tick) : undefined;
    };
    tick();
    return { dispose: () => (cancel?.(), sw.set(false, { removed: 1 })) };
  },
};

const flakySchema = z.object({
  step_ms: duration.default(1000),
  p_good_to_bad: prob,
  p_bad_to_good: prob,
  /** Probability that entering the bad state cuts open links (when existing is close/reset). */
  cut_probability: prob.default(1),
  ...downBehaviour,
  existing: z.enum(['close', 'reset', 'stall']).default('stall'),
});
export const flaky: ProxyToxicDef<z.infer<typeof flakySchema>> = {
  kind: 'proxy',
  type: 'flaky',
  schema: flakySchema,
  create(a, ctl): ProxyToxic {
    const sw = downSwitch(ctl, a);
    let state: GeState = 'good';
    let step = 0;
    let cancel: (() => void) | undefined;
    const tick = () => {
      step++;
      const next = geStep(state, a, ctl.rng);
      if (next !== state) {
        state = next;
        ctl.fault(next === 'bad' ? 'bad-state' : 'good-state', { step });
        sw.set(next === 'bad', { step }, next === 'bad' && ctl.rng.chance(a.cut_probability));
      }
      cancel = ctl.sched.setTimer(a.step_ms, tick);
    };
    cancel = ctl.sched.setTimer(a.step_ms, tick);
    return { dispose: () => (cancel?.(), sw.set(false, { removed: 1 })) };
  },
};

export const proxyToxics = [refuse, outage, flaky];
