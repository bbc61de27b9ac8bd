/** Text fragments shared by the step patterns, and their parsers (client names and durations: parameter-types.ts). */
export const CODE = '(0x[0-9a-fA-F]+|\\d+)';
/** One reason code or several alternatives: "0x81" or "0x81 or 0x82". */
export const CODES = '((?:0x[0-9a-fA-F]+|\\d+)(?: or (?:0x[0-9a-fA-F]+|\\d+))*)';
export const VERSION = '(3\\.1\\.1|5\\.0|5|3\\.1)';
export const PACKET =
  '((?:CONNECT|CONNACK|PUBLISH|PUBACK|PUBREC|PUBREL|PUBCOMP|SUBSCRIBE|SUBACK|UNSUBSCRIBE|UNSUBACK|PINGREQ|PINGRESP|DISCONNECT|AUTH)\\b(?: .*?[^:])??)';

export const re = (s: string): RegExp => new RegExp(`^${s}$`);

/** "0x82" or "130" → 130. */
export const toCode = (text: string): number => Number(text);
/** "0x81 or 0x82" → [0x81, 0x82]. */
export const toCodes = (text: string): number[] => text.split(' or ').map(Number);

/** The quoted items of a list: `"a", "b" and "c"` → ["a", "b", "c"]. */
export const quotedList = (s: string): string[] => [...s.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
