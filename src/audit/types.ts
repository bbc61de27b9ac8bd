/** Security audit: findings with a severity, reported apart from compliance. */
import type { Endpoint, Identity } from './probe-client.ts';

export type Severity = 'high' | 'medium' | 'low' | 'info';
export const SEVERITY_ORDER: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3 };

export interface AuditCheck {
  id: string;
  title: string;
  /** Severity if the check fails. */
  severity: Severity;
  /** failed = a finding; passed; not-applicable (why in `answer`); inconclusive (cause in `answer`). */
  verdict: 'failed' | 'passed' | 'not-applicable' | 'inconclusive';
  /** What the audit tried. */
  tried: string;
  /** What the broker did (accepted / refused ...). */
  answer: string;
}

export interface AuditOptions {
  endpoint: Endpoint;
  /** The unprivileged identity the audit acts as (from the URL; may be anonymous). */
  identity: Identity;
  /** A second, different identity, for the client-id takeover check. */
  identity2?: Identity;
  tlsEndpoint?: Endpoint & { ca?: Buffer };
  /** A topic the identity should neither read nor write (default: a fresh one under audit/forbidden/). */
  denyTopic?: string;
  /** Topic prefix the identity may use for its own probes (publish, subscribe); default "audit". */
  prefix?: string;
  idleWaitMs?: number;
  subscriptionProbe?: number;
  queueProbe?: number;
  oversizeBytes?: number;
  onProgress?: (checkId: string, done: number, total: number) => void;
}

export interface AuditReport {
  checks: AuditCheck[];
  findings: AuditCheck[];
  highest: Severity | 'none';
}
