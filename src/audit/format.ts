/** The audit report as text: findings by severity, then every check with what was tried and the answer. */
import type { AuditReport } from './types.ts';

const word = (v: string): string => (v === 'not-applicable' ? 'not applicable' : v);

export function formatAudit(r: AuditReport, target: string): string {
  const lines = [`security audit of ${target} (separate from compliance: a broker can be compliant and insecure)`];
  lines.push(r.findings.length === 0 ? 'findings: none' : `findings (${r.findings.length}, highest ${r.highest}):`);
  for (const f of r.findings) lines.push(`  [${f.severity.toUpperCase()}] ${f.id}: ${f.title} — ${f.answer}`);
  lines.push('checks:');
  for (const c of r.checks)
    lines.push(`  ${word(c.verdict).padEnd(15)} ${c.id.padEnd(24)} tried: ${c.tried}; answer: ${c.answer}`);
  return lines.join('\n');
}
