/**
 * The resilience harness's options and verdict rules: which targets the proxy can sit in
 * front of, when a scenario has shown its guarantee (every checker decided, something checked)
 * or a negative control has caught its violation, and the bounded waits.
 */
import { sleep, type Clock } from '../common/index.ts';
import type { SpecVersion } from '../spec/types.ts';
import { formatResult, type CheckResult, type CheckerName } from '../checker/index.ts';

export interface HarnessOptions {
  /** Broker the devices (or their proxies) connect to. */
  brokerUrl: string;
  version: SpecVersion;
  seed: number;
  /** Unique per scenario; prefixes client ids and topics so runs never collide. */
  prefix: string;
  /** Multiplier for scenario durations (default 0.1). */
  timeScale?: number;
  clock?: Clock;
  /** Upper bound on one settle / check wait in real ms (default 5000). */
  maxWaitMs?: number;
  /** Credentials every device sends in CONNECT. */
  username?: string;
  password?: string;
}

/** Why a broker URL cannot be used behind the MQTT-aware proxy, or undefined when it can. */
export function unsupportedTarget(url: string): string | undefined {
  const scheme = url.split(':')[0].toLowerCase();
  return scheme === 'mqtt' || scheme === 'tcp'
    ? undefined
    : `resilience scenarios need a plain TCP target (mqtt://) so the proxy can see MQTT packets; got ${scheme}://`;
}

export class CheckFailure extends Error {
  constructor(
    message: string,
    readonly results: CheckResult[],
  ) {
    super(message);
    this.name = 'CheckFailure';
  }
}

/** The failure when not every checker holds with something decided, or undefined. */
export function notShown(rs: readonly CheckResult[], seed: number): CheckFailure | undefined {
  const bad = rs.filter((r) => r.valid !== true || r.checked - r.unknown <= 0);
  if (bad.length === 0) return undefined;
  return new CheckFailure(
    `guarantee not shown (seed ${seed}):\n${bad.map((r) => formatResult(r) + (r.valid === true ? '\n  (nothing decided: the scenario proved nothing)' : '')).join('\n')}`,
    [...rs],
  );
}

/** For negative controls: the failure when the checker found no violation, or undefined. */
export function notCaught(name: CheckerName, r: CheckResult, seed: number): CheckFailure | undefined {
  if (r.valid === false) return undefined;
  return new CheckFailure(
    `negative control: ${name} should have found a violation but said ${String(r.valid)} (seed ${seed}): ${r.summary}`,
    [r],
  );
}

/** Runs `check` until every result is decided (invalid, or valid with nothing undecided) or `maxWaitMs` passes. */
export async function decideWithin(check: () => CheckResult[], maxWaitMs: number): Promise<CheckResult[]> {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const rs = check();
    const decided = rs.every((r) => r.valid === false || (r.valid === true && r.unknown === 0));
    if (decided || Date.now() >= deadline) return rs;
    await sleep(50);
  }
}

/** `p`, or a rejection naming `what` after `ms`. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, rej) => (t = setTimeout(() => rej(new Error(`timed out after ${ms} ms: ${what}`)), ms))),
  ]).finally(() => clearTimeout(t));
}

/** Polls until `cond` holds or `ms` pass; whether it held. */
export async function pollUntil(cond: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() >= deadline) return false;
    await sleep(20);
  }
  return true;
}

/** Waits until nothing is `busy` and `size` has not changed for `quietMs`, at most `maxMs`. */
export async function settleQuiet(
  busy: () => boolean,
  size: () => number,
  quietMs: number,
  maxMs: number,
): Promise<void> {
  const deadline = Date.now() + maxMs;
  let last = -1;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    if (size() !== last || busy()) {
      last = size();
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= quietMs) return;
    await sleep(25);
  }
}

/** How a scenario's device publishes: retained, one acknowledgement at a time, with a gap. */
export interface PublishOptions {
  retain?: boolean;
  oneAtATime?: boolean;
  intervalMs?: number;
}
