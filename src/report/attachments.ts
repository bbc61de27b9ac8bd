/**
 * Media types of the attachments the World writes for the report formatters to read.
 * Cucumber carries them from the workers to the formatters with the other messages.
 */
export const MEDIA_VERDICT = 'application/vnd.mqtt-harness.verdict+json';
export const MEDIA_CAPABILITIES = 'application/vnd.mqtt-harness.capabilities+json';
/** Packet traces are plain text (readable in the HTML report) starting with this line. */
export const TRACE_HEADING = 'Packet trace';

export type VerdictAttachment =
  | { kind: 'not-applicable'; reason: string }
  /** A failure in a scenario whose statements are all SHOULD / MAY: reported as skipped to cucumber. */
  | { kind: 'advisory-failure'; evidence: string };
