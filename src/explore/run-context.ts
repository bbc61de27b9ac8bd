/**
 * The state of one program run, shared by the runner's parts: the recorded history and notes,
 * the per-client connection state, and the counters that name connections, messages and
 * subscription identifiers.
 */
import type { TestClient } from '../client/test-client.ts';
import { PacketTrace } from '../client/trace.ts';
import type { Packet } from '../codec/packet-types.ts';
import type { DeclaredCaps, HEvent, QoS } from '../model/types.ts';
import type { Program } from './program.ts';
import type { RunOptions, RunResult, RunTarget } from './run-types.ts';

export interface Pending {
  resolve(): void;
  msg: string;
  qos: QoS;
}

export interface ClientState {
  name: string;
  clientId: string;
  tc?: TestClient;
  conn: number;
  everConnected: boolean;
  nextPid: number;
  out: Map<number, Pending>;
  inQos2: Set<number>;
  ackQueue: Packet[];
  ackTimer?: NodeJS.Timeout;
  serverRm: number;
  caps: DeclaredCaps;
  closedRecorded: boolean;
  /** Called when an acknowledgement frees a slot of the broker's Receive Maximum. */
  wake?: () => void;
}

export interface RunContext {
  readonly target: RunTarget;
  readonly o: RunOptions;
  /** Bound on every single wait (acks, CONNACK, SUBACK). */
  readonly timeout: number;
  readonly trace: PacketTrace;
  readonly h: HEvent[];
  readonly notes: string[];
  readonly level: 4 | 5;
  readonly v5: boolean;
  readonly clients: ClientState[];
  readonly msgStep: RunResult['msgStep'];
  connSeq: number;
  msgSeq: number;
  subIdSeq: number;
  /** Set when the program cannot run properly: no verdict on it. */
  trouble: string | undefined;
  finished: boolean;
  stepNo: number;
  /** The program's topic / filter under the run's prefix (`$share/g/` for a shared one). */
  topic(t: string): string;
  filterOf(f: string, share?: boolean): string;
}

export const now = (): number => performance.now();
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function newRunContext(p: Program, target: RunTarget, o: RunOptions): RunContext {
  const level = p.version === '5.0' ? 5 : 4;
  return {
    target,
    o,
    timeout: o.stepTimeoutMs ?? 1000,
    trace: new PacketTrace(),
    h: [],
    notes: [],
    level,
    v5: level === 5,
    clients: Array.from({ length: p.clients }, (_, i) => ({
      name: `c${i}`,
      clientId: `${o.prefix}c${i}`,
      conn: 0,
      everConnected: false,
      nextPid: 1,
      out: new Map(),
      inQos2: new Set(),
      ackQueue: [],
      serverRm: 65535,
      caps: {},
      closedRecorded: false,
    })),
    msgStep: {},
    connSeq: 0,
    msgSeq: 0,
    subIdSeq: 0,
    trouble: undefined,
    finished: false,
    stepNo: -1,
    topic: (t) => `${o.prefix}/${t}`,
    filterOf: (f, share) => (share ? `$share/g/${o.prefix}/${f}` : `${o.prefix}/${f}`),
  };
}

/** A free packet id on the client's connection (ids of unacknowledged PUBLISHes are taken). */
export function allocPid(c: ClientState): number {
  for (let i = 0; i < 65535; i++) {
    const pid = c.nextPid;
    c.nextPid = pid >= 65535 ? 1 : pid + 1;
    if (!c.out.has(pid)) return pid;
  }
  throw new Error('no free packet id');
}
