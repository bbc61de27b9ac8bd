/** The fuzz run's options, progress and result (data only). */
import type { FuzzLevel } from './grammar.ts';
import type { FindingKind } from './oracle.ts';
import type { Target } from './run-case.ts';

export interface FuzzOptions {
  target: Target;
  seed: number;
  versions: FuzzLevel[];
  /** Stop after this many frames sent. */
  frames: number;
  budgetMs: number;
  /** Connections in flight at once (default 64). */
  concurrency?: number;
  /** A control check every this many cases (default 400). */
  batchCases?: number;
  /** Most cases one connection carries while all it sent is valid (default 8; 1 = one case each). */
  maxChain?: number;
  /** Per-connection answer timeout. */
  timeoutMs?: number;
  maxFillers?: number;
  /** Findings shrunk in full (others of the same signature are counted). */
  maxShrunk?: number;
  maxShrinkAttempts?: number;
  /** Bring a crashed broker back (embedded runs); without it a crash ends the run. */
  restart?: () => Promise<void>;
  onProgress?: (p: FuzzProgress) => void;
}

export interface FuzzProgress {
  framesSent: number;
  cases: number;
  findings: number;
  elapsedMs: number;
  framesPerSecond: number;
}

export interface FuzzFinding {
  kind: FindingKind;
  signature: string;
  statements: string[];
  version: '3.1.1' | '5.0';
  seed: number;
  caseIndex: number;
  mutation: string;
  expected: string;
  observed: string;
  occurrences: number;
  /** Minimal frames as hex (passwords redacted), and the original frame count. */
  hex: string[];
  originalFrames: number;
  shrinkAttempts: number;
  gherkin: string;
}

export interface FuzzResult {
  seed: number;
  versions: string[];
  framesSent: number;
  cases: number;
  /** Fuzz connections opened (a connection carries several cases while they are valid). */
  connections: number;
  batches: number;
  controlChecks: number;
  elapsedMs: number;
  framesPerSecond: number;
  /** What was tried: cases per mutation name. */
  tried: Record<string, number>;
  outcomes: Record<string, number>;
  findings: FuzzFinding[];
  advisories: {
    signature: string;
    statements: string[];
    expected: string;
    observed: string;
    occurrences: number;
    example: { seed: number; caseIndex: number };
  }[];
  /** Set when the broker went down and the run could not go on. */
  stoppedBecause?: string;
}
