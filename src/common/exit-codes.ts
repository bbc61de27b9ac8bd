/**
 * Process exit codes shared by every command that gives a verdict (`cucumber-js`,
 * `mqtt-harness explore`, `fleet`, `report`, `fuzz`, `audit`). The README documents them.
 */
export const EXIT = {
  /** Compliant, or every guarantee holds. */
  ok: 0,
  /** MUST failures, violated guarantees, a broken ratchet. */
  violations: 1,
  /** A usage or configuration error: nothing was judged. */
  usage: 2,
  /** Inconclusive: the target could not be reached, refused the harness, or went down. */
  inconclusive: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
