/**
 * A Jepsen-style history: every client operation as an invoke followed by its completion
 * (ok / fail / info = outcome unknown), single-shot observations (receive, drop) and the
 * proxy's fault events (process "nemesis"), all in one totally ordered list.
 */
import type { Clock } from '../common/index.ts';

export type OpType = 'invoke' | 'ok' | 'fail' | 'info';
export type OpF =
  'connect' | 'disconnect' | 'drop' | 'subscribe' | 'unsubscribe' | 'publish' | 'receive' | 'fault' | 'mark';

export interface WillValue {
  topic: string;
  qos: 0 | 1 | 2;
  retain: boolean;
  /** Application message id carried in the will payload. */
  msgId: string;
  /** 5.0 Will Delay Interval in seconds. */
  delay?: number;
}

export interface FilterValue {
  filter: string;
  qos: 0 | 1 | 2;
}

/** Everything an op may carry; which fields are set depends on `f`. */
export interface OpValue {
  // publish / receive
  topic?: string;
  qos?: 0 | 1 | 2;
  retain?: boolean;
  /** Application message id (unique per application message; kept across resends). */
  msgId?: string;
  packetId?: number;
  dup?: boolean;
  /** Retained publish with an empty payload (clears the retained message). */
  empty?: boolean;
  /** receive: a QoS 2 PUBLISH repeat for a packet id still awaiting PUBREL (not delivered again). */
  repeat?: boolean;
  // connect
  clientId?: string;
  cleanStart?: boolean;
  /** The session outlives the network connection (3.1.1 CleanSession 0, 5.0 expiry > 0). */
  persistent?: boolean;
  keepAlive?: number;
  /** 5.0 Session Expiry Interval in seconds. */
  sessionExpiry?: number;
  will?: WillValue;
  sessionPresent?: boolean;
  protocolLevel?: number;
  // subscribe
  filters?: FilterValue[];
  granted?: number[];
  // drop / fail / fault / mark
  reason?: string;
  /** fault: proxy link name, toxic name, action, packet type, direction. */
  link?: string;
  toxic?: string;
  action?: string;
  packet?: string;
  direction?: string;
  [extra: string]: unknown;
}

export interface Op {
  index: number;
  /** Milliseconds from the recorder's clock. */
  time: number;
  /** Client id, or "nemesis" for faults. */
  process: string;
  type: OpType;
  f: OpF;
  value: OpValue;
}

export type History = readonly Op[];

export const NEMESIS = 'nemesis';

/** A proxy fault event as the proxy reports it (fields are optional to tolerate API drift). */
export interface FaultEvent {
  time?: number;
  link?: string;
  clientId?: string;
  toxic?: string;
  action?: string;
  packet?: unknown;
  direction?: string;
}

/**
 * Records operations in arrival order. Times come from the injected clock; indices are
 * assigned here, so concurrent devices sharing one recorder get one total order.
 */
export class HistoryRecorder {
  private readonly ops: Op[] = [];
  private readonly open = new Map<string, Op>();
  private readonly limit: number;

  constructor(
    private readonly clock: Clock,
    opts: { maxOps?: number } = {},
  ) {
    this.limit = opts.maxOps ?? 1_000_000;
  }

  record(process: string, type: OpType, f: OpF, value: OpValue = {}): Op {
    if (this.ops.length >= this.limit) throw new RangeError(`history is full (${this.limit} ops)`);
    const op: Op = { index: this.ops.length, time: this.clock.now(), process, type, f, value };
    this.ops.push(op);
    return op;
  }

  /** Starts an operation; `key` identifies it for the matching completion (e.g. "pub:c1:msg-7"). */
  invoke(process: string, f: OpF, value: OpValue, key: string): Op {
    const op = this.record(process, 'invoke', f, value);
    this.open.set(key, op);
    return op;
  }

  /** Completes an open operation; returns undefined (and records nothing) if it is not open. */
  complete(key: string, type: Exclude<OpType, 'invoke'>, value: OpValue = {}): Op | undefined {
    const inv = this.open.get(key);
    if (inv === undefined) return undefined;
    this.open.delete(key);
    return this.record(inv.process, type, inv.f, { ...inv.value, ...value });
  }

  isOpen(key: string): boolean {
    return this.open.has(key);
  }

  /** Records a proxy fault as a nemesis op. */
  fault(ev: FaultEvent): Op {
    const packet = typeof ev.packet === 'string' ? ev.packet : (ev.packet as { type?: string } | undefined)?.type;
    return this.record(NEMESIS, 'info', 'fault', {
      link: ev.link,
      clientId: ev.clientId,
      toxic: ev.toxic,
      action: ev.action,
      packet,
      direction: ev.direction,
    });
  }

  /** Closes every open operation as `info` (outcome unknown); call at the end of a run. */
  finish(reason = 'history ended'): void {
    for (const key of [...this.open.keys()]) this.complete(key, 'info', { reason });
  }

  get history(): History {
    return this.ops;
  }

  get size(): number {
    return this.ops.length;
  }

  toJsonLines(): string {
    return toJsonLines(this.ops);
  }
}

export function toJsonLines(h: History): string {
  return h.map((op) => JSON.stringify(op)).join('\n') + (h.length > 0 ? '\n' : '');
}

const OP_TYPES = new Set(['invoke', 'ok', 'fail', 'info']);

/** Parses JSON lines back into a history; errors name the line. */
export function fromJsonLines(text: string): Op[] {
  const out: Op[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      throw new Error(`history line ${i + 1}: not JSON (${(e as Error).message})`, { cause: e });
    }
    const o = v as Partial<Op>;
    if (
      typeof o !== 'object' ||
      o === null ||
      typeof o.index !== 'number' ||
      typeof o.time !== 'number' ||
      typeof o.process !== 'string' ||
      !OP_TYPES.has(o.type as string) ||
      typeof o.f !== 'string' ||
      typeof o.value !== 'object' ||
      o.value === null
    ) {
      throw new Error(`history line ${i + 1}: not an op (needs index, time, process, type, f, value)`);
    }
    out.push(o as Op);
  }
  return out;
}

/** A compact one-line rendering for witnesses and logs; times relative to `base` ms. */
export function formatOp(op: Op, base = 0): string {
  const v = op.value;
  const parts: string[] = [];
  for (const k of [
    'msgId',
    'topic',
    'qos',
    'retain',
    'dup',
    'repeat',
    'packetId',
    'cleanStart',
    'sessionPresent',
    'reason',
    'toxic',
    'action',
    'packet',
    'direction',
  ] as const) {
    if (v[k] !== undefined) parts.push(`${k}=${String(v[k])}`);
  }
  if (v.filters) parts.push(`filters=${v.filters.map((x) => `${x.filter}@${x.qos}`).join(',')}`);
  if (v.will) parts.push(`will=${v.will.msgId}@${v.will.topic}`);
  return `#${op.index} t=${base === 0 ? '' : '+'}${Math.round(op.time - base)} ${op.process} ${op.type} ${op.f} ${parts.join(' ')}`;
}
