/** Small parsers and assertions for the resilience steps. */
import type { QoS } from '../../src/codec/index.ts';
import type { CheckResult } from '../../src/checker/index.ts';
import { formatResult } from '../../src/checker/index.ts';
import type { ToxicInput } from '../../src/proxy/index.ts';
import type { ResilienceHarness } from '../../src/fleet/index.ts';

export const qos = (s: string): QoS => {
  const n = Number(s);
  if (n !== 0 && n !== 1 && n !== 2) throw new Error(`QoS must be 0, 1 or 2, got "${s}"`);
  return n;
};

/** "PUBACK", "PUBREC and PUBCOMP", "PUBLISH, PUBACK and PUBREL" -> lower-case packet type names. */
export const packetTypes = (s: string): string[] =>
  s
    .split(/,\s*|\s+and\s+/)
    .map((x) => x.trim().toLowerCase())
    .filter(Boolean);

/** mqtt_drop of the given packets; "to" the device = downstream (broker -> client), "from" = upstream. */
export function dropToxic(packets: string, dir: string, extra: Record<string, number>): ToxicInput {
  const types = packetTypes(packets);
  return {
    type: 'mqtt_drop',
    name: `drop-${types.join('-')}-${dir}-${Object.keys(extra).join('-')}`,
    stream: dir === 'to' ? 'downstream' : 'upstream',
    attributes: { packet_type: types.length === 1 ? types[0] : types, ...extra },
  };
}

/** Link outages: up for upMs, down for downMs (open connections reset, new ones refused), n times. */
export function outageToxic(downMs: number, upMs: number, n: number): ToxicInput {
  return {
    type: 'outage',
    name: 'outage',
    attributes: {
      up_ms: Math.max(1, upMs),
      down_ms: Math.max(1, downMs),
      cycles: n,
      existing: 'reset',
      new_connections: 'refuse',
    },
  };
}

/** Did monitor `m` receive a will of device `d` (will message ids are "<clientId>:will:<n>")? */
export async function expectWill(h: ResilienceHarness, m: string, d: string, want: boolean): Promise<void> {
  const prefix = `${h.clientId(d)}:will:`;
  const wills = () =>
    h.recorder.history.filter(
      (o) => o.f === 'receive' && o.process === h.clientId(m) && (o.value.msgId ?? '').startsWith(prefix),
    );
  if (want) await h.waitFor(() => wills().length > 0);
  const got = wills();
  if (want && got.length === 0) throw new Error(`"${m}" received no will of "${d}" (seed ${h.opts.seed})`);
  if (!want && got.length > 0)
    throw new Error(
      `"${m}" received the will of "${d}" (op #${got[0].index}) although it should not have (seed ${h.opts.seed})`,
    );
}

/** The witness must name the offending message: its publish, and for duplicates both receipts. */
export function violationNames(r: CheckResult, what: 'lost' | 'duplicated'): void {
  const w = r.witness ?? [];
  const pub = w.find((o) => o.f === 'publish');
  const msgId = pub?.value.msgId;
  const ok =
    msgId !== undefined &&
    r.summary.includes(msgId) &&
    (what === 'lost'
      ? w.some((o) => o.f === 'publish' && o.type === 'ok' && o.value.msgId === msgId)
      : w.filter((o) => o.f === 'receive' && o.value.msgId === msgId).length >= 2);
  if (!ok) throw new Error(`the witness does not name the ${what} message:\n${formatResult(r)}`);
}
