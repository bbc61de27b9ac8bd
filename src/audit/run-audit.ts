/** Runs every audit check in order and sorts out the findings (failed checks) by severity. */
import { anonymousAccess, clientIdTakeover, forbiddenTopic, wildcardReads } from './mqtt-checks.ts';
import { idleBeforeConnect, oversizedPacket, queueLimit, subscriptionLimit } from './limit-checks.ts';
import { tlsChecks } from './tls-checks.ts';
import { SEVERITY_ORDER, type AuditCheck, type AuditOptions, type AuditReport, type Severity } from './types.ts';

export async function runAudit(o: AuditOptions): Promise<AuditReport> {
  const steps: Array<[string, () => Promise<AuditCheck | AuditCheck[]>]> = [
    ['anonymous-access', () => anonymousAccess(o)],
    ['wildcard-reads', () => wildcardReads(o)],
    ['client-id-takeover', () => clientIdTakeover(o)],
    ['forbidden-topic', () => forbiddenTopic(o)],
    ['tls', () => tlsChecks(o)],
    ['oversized-packet', () => oversizedPacket(o)],
    ['idle-no-connect', () => idleBeforeConnect(o)],
    ['unlimited-subscriptions', () => subscriptionLimit(o)],
    ['unlimited-queue', () => queueLimit(o)],
  ];
  const checks: AuditCheck[] = [];
  for (let i = 0; i < steps.length; i++) {
    o.onProgress?.(steps[i][0], i, steps.length);
    try {
      const r = await steps[i][1]();
      checks.push(...(Array.isArray(r) ? r : [r]));
    } catch (e) {
      checks.push({
        id: steps[i][0],
        title: steps[i][0],
        severity: 'info',
        verdict: 'inconclusive',
        tried: steps[i][0],
        answer: `harness error: ${(e as Error).message}`,
      });
    }
  }
  o.onProgress?.('done', steps.length, steps.length);
  const findings = checks
    .filter((c) => c.verdict === 'failed')
    .sort((a, b) => SEVERITY_ORDER[b.severity] - SEVERITY_ORDER[a.severity]);
  const highest: Severity | 'none' = findings[0]?.severity ?? 'none';
  return { checks, findings, highest };
}
