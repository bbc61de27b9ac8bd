/**
 * k6-style thresholds over a fleet run's metrics: "p99<500ms", "connect_p99<=2s", "errors==0",
 * "drops<100". Pure: parse, then judge against the measured values.
 */
import { didYouMean } from '../../common/index.ts';

const LATENCY = ['p50', 'p90', 'p95', 'p99', 'p99.9', 'max', 'mean'] as const;
export const METRICS: readonly string[] = [
  ...LATENCY,
  ...LATENCY.map((q) => `connect_${q}`),
  'errors',
  'drops',
  'connect_failures',
  'published',
  'received',
];
const TIME_METRIC = (m: string): boolean => /^(connect_)?(p[0-9.]+|max|mean)$/.test(m);

export type ThresholdOp = '<' | '<=' | '>' | '>=' | '==';
export interface Threshold {
  text: string;
  metric: string;
  op: ThresholdOp;
  /** In ms for latency metrics, a count otherwise. */
  value: number;
}

export interface ThresholdResult extends Threshold {
  actual: number | undefined;
  ok: boolean;
}

/** A threshold, or a message saying what is wrong with it. */
export function parseThreshold(text: string): Threshold | string {
  const m = /^\s*([a-z_][a-z0-9_.]*)\s*(<=|>=|==|<|>)\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s)?\s*$/i.exec(text);
  if (m === null) return `"${text}" is not a threshold; write METRIC OP VALUE, e.g. "p99<500ms" or "errors==0"`;
  const metric = m[1].toLowerCase();
  if (!METRICS.includes(metric))
    return `unknown metric \`${metric}\`${didYouMean(metric, METRICS)}; known: ${METRICS.join(', ')}`;
  if (m[4] !== undefined && !TIME_METRIC(metric)) return `${metric} is a count, it takes no unit`;
  const value = Number(m[3]) * (m[4]?.toLowerCase() === 's' ? 1000 : 1);
  return { text: text.trim(), metric, op: m[2] as ThresholdOp, value };
}

export function judgeThresholds(
  ts: readonly Threshold[],
  metrics: Record<string, number | undefined>,
): ThresholdResult[] {
  return ts.map((t) => {
    const actual = metrics[t.metric];
    const ok = actual !== undefined && cmp(actual, t.op, t.value);
    return { ...t, actual, ok };
  });
}

function cmp(a: number, op: ThresholdOp, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    default:
      return a === b;
  }
}

/** "✓ p99<500ms (p99=212ms)" or "✗ …"; an unmeasured metric fails. */
export function formatThreshold(r: ThresholdResult): string {
  const unit = TIME_METRIC(r.metric) ? 'ms' : '';
  const actual =
    r.actual === undefined
      ? 'not measured'
      : `${r.metric}=${Number.isInteger(r.actual) ? r.actual : r.actual.toFixed(1)}${unit}`;
  return `${r.ok ? '✓' : '✗'} ${r.text} (${actual})`;
}
