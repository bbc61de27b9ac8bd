/** What a run of one explored program needs (the target, the options) and what it gives back. */
import type { PacketTrace } from '../client/trace.ts';
import type { DeclaredCaps, HEvent } from '../model/types.ts';

export interface RunTarget {
  url: string;
  username?: string;
  password?: string;
  /** TLS: CA file, or skip verification (as the conformance run's target config). */
  caFile?: string;
  insecure?: boolean;
}

export interface RunOptions {
  /** Unique per program: topics, client ids and payloads start with it. */
  prefix: string;
  /** Bound on every single wait (acks, CONNACK, SUBACK). */
  stepTimeoutMs?: number;
  /**
   * At the end, how long to wait for what the model says is still owed without any progress
   * (a new packet); waiting goes on while packets keep arriving, up to 30 s in all.
   */
  settleMs?: number;
  /** Quiet time at the end to catch copies that should not come. */
  quietMs?: number;
  /**
   * What is known of the target's capabilities besides its CONNACK (a 3.1.1 broker cannot
   * declare them; a run configuration can): steps needing an absent one are skipped.
   */
  caps?: DeclaredCaps;
}

export interface RunResult {
  history: HEvent[];
  trace: PacketTrace;
  /** What the runner did per step ("skipped: not connected", "SUBACK timeout"...). */
  notes: string[];
  /** Which step (and index within a burst) sent each application message id. */
  msgStep: Record<string, { step: number; i: number; will?: boolean }>;
  /** The program's prefix of topics, client ids and payloads. */
  prefix: string;
  /** The program could not run properly (e.g. a CONNACK never came): no verdict on it. */
  harnessTrouble?: string;
}
