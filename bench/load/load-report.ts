/** The machine's load around a bench run: printed before and after, with a warning when other work skews the figures. */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/** 1-minute load average above which other work competes for the two cores and skews every figure. */
export const LOAD_LIMIT = 1.5;
/** Share of all cores busy over `ms` (from /proc/stat); between cases nothing of ours runs, so this is other work. */
async function busyShare(ms = 1000): Promise<number | undefined> {
  const read = () => {
    try {
      const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
      const idle = f[3] + (f[4] ?? 0);
      return { idle, total: f.reduce((a, b) => a + b, 0) };
    } catch {
      return undefined;
    }
  };
  const a = read();
  await new Promise((r) => setTimeout(r, ms));
  const b = read();
  if (a === undefined || b === undefined || b.total === a.total) return undefined;
  return 1 - (b.idle - a.idle) / (b.total - a.total);
}

export async function reportLoad(when: 'before' | 'after'): Promise<void> {
  const l = loadavg();
  const busy = await busyShare();
  const busyText = busy === undefined ? '' : `; other work now uses ${(busy * 100).toFixed(0)}% of the cores`;
  console.log(
    `load average ${when}: ${l.map((v) => v.toFixed(2)).join(' ')} (1, 5, 15 min${when === 'after' ? ', including this bench' : ''})${busyText}`,
  );
  // After the run the load average mostly reflects the bench itself (two busy pinned cores); judge by the idle sample then.
  const loaded = when === 'before' ? l[0] > LOAD_LIMIT || (busy ?? 0) > 0.2 : (busy ?? 0) > 0.2;
  if (loaded) {
    const why =
      when === 'before' && l[0] > LOAD_LIMIT
        ? `1-minute load ${l[0].toFixed(2)} > ${LOAD_LIMIT} (an earlier bench run counts too)`
        : 'other work > 20% of the cores';
    console.log(
      `WARNING: ${why}: figures ${when === 'before' ? 'below' : 'above'} may be unreliable (mosquitto and ours alike); rerun on a quiet machine.`,
    );
  }
}
