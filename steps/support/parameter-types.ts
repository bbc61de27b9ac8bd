/**
 * The step vocabulary's parameter types. Step patterns are regular expressions; cucumber hands a
 * capture group to a parameter type whose regexp is exactly the group's text, so every
 * `${CLIENT}` group arrives as a client name and every `${DURATION}` / `${WITHIN}` group as a
 * Duration, with no parsing in the steps. Cucumber expressions can use `{client}` and `{duration}`.
 */

const CLIENT_TEXT = '"[^"]+"';
const DURATION_TEXT = '\\d+(?:\\.\\d+)? ?(?:ms|s|seconds?|milliseconds?)';

/** A client (or device) name in quotes: `"A"`, `"sub"`; the step gets the name without quotes. */
export const CLIENT = `(${CLIENT_TEXT})`;
/** A duration: `500 ms`, `2 s`, `1.5 seconds`. */
export const DURATION = `(${DURATION_TEXT})`;
/** An optional ` within 2 s`; the step gets a Duration or undefined. */
export const WITHIN = `(?: within ${DURATION})?`;

/** A duration written in a step. */
export interface Duration {
  /** Milliseconds as written. */
  readonly writtenMs: number;
  /** Milliseconds multiplied by the target's time scale (what conformance steps wait). */
  readonly ms: number;
}

/** "2 s", "500 ms", "1.5 seconds" → milliseconds as written. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?) ?(ms|s|seconds?|milliseconds?)$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: "${text}"`);
  const n = Number(m[1]);
  return m[2] === 's' || m[2].startsWith('second') ? n * 1000 : n;
}

/** The World scales durations (WorldBase.ms); outside one (unit tests) a duration is as written. */
type Scaler = { ms?: (n: number) => number };

/** The definitions; hooks.ts registers them with cucumber (a test matches them against step patterns). */
export const PARAMETER_TYPES = [
  {
    name: 'duration',
    regexp: DURATION_TEXT,
    useForSnippets: false,
    // An optional group that did not take part in the match (`within …` left out) gives undefined.
    transformer(this: Scaler, text?: string): Duration | undefined {
      if (text === undefined) return undefined;
      const writtenMs = parseDuration(text);
      return { writtenMs, ms: typeof this?.ms === 'function' ? this.ms(writtenMs) : writtenMs };
    },
  },
  {
    name: 'client',
    regexp: CLIENT_TEXT,
    useForSnippets: false,
    transformer: (quoted: string): string => quoted.slice(1, -1),
  },
] as const;
