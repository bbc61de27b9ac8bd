/**
 * Public surface of the security audit: checks a broker's posture from outside (anonymous access,
 * wildcard reads, client-id takeover, ACL bypasses by will / retain / shared subscription, TLS,
 * limits). Findings carry a severity and are reported apart from compliance.
 */
export { runAudit } from './run-audit.ts';
export { ProbeClient, connected, type Endpoint, type Identity } from './probe-client.ts';
export { SEVERITY_ORDER, type AuditCheck, type AuditOptions, type AuditReport, type Severity } from './types.ts';
export { formatAudit } from './format.ts';
