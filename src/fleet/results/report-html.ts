/**
 * DIR/fleet.html: one self-contained page (inline SVG and CSS, no script, no network) with
 * plots over time of connected devices, message rates and latency quantiles, the fault windows
 * shaded (fleet events, and the share of links down each second), the thresholds, and the
 * checker verdicts with their witnesses.
 */
import { formatOp } from '../../checker/index.ts';
import { decodeHistogram, type SecondStats } from '../engine/metrics.ts';
import type { FleetResult } from './merge.ts';
import { formatThreshold } from './thresholds.ts';

const esc = (s: string): string =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

interface Series {
  name: string;
  color: string;
  points: [number, number][];
}

/** A line chart over run seconds with shaded windows; y from 0 to the max. */
export function lineChart(
  title: string,
  unit: string,
  series: Series[],
  windows: { from: number; to: number; label: string }[],
  shade: [number, number][],
  xMax: number,
  shadeOf = 1,
): string {
  const W = 860,
    H = 220,
    L = 60,
    R = 10,
    T = 24,
    B = 30;
  const yMax = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p[1]))) * 1.05;
  const x = (t: number) => L + (t / Math.max(1, xMax)) * (W - L - R);
  const y = (v: number) => T + (1 - v / yMax) * (H - T - B);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">`,
    `<text x="${L}" y="16" font-weight="bold">${esc(title)}</text>`,
  ];
  for (const [t, v] of shade)
    if (v > 0)
      parts.push(
        `<rect x="${x(t).toFixed(1)}" y="${T}" width="${Math.max(1, x(t + 1) - x(t)).toFixed(1)}" height="${H - T - B}" fill="#e53935" fill-opacity="${(0.04 + 0.5 * Math.min(1, v / Math.max(1, shadeOf))).toFixed(3)}"><title>${v} link(s) down</title></rect>`,
      );
  for (const w of windows)
    parts.push(
      `<rect x="${x(w.from).toFixed(1)}" y="${T}" width="${Math.max(2, x(w.to) - x(w.from)).toFixed(1)}" height="${H - T - B}" fill="#fb8c00" fill-opacity="0.18"><title>${esc(w.label)}</title></rect>`,
    );
  parts.push(
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#888"/><line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#888"/>`,
  );
  for (let k = 0; k <= 4; k++) {
    const v = (yMax / 4) * k;
    parts.push(
      `<text x="${L - 4}" y="${y(v) + 4}" font-size="10" text-anchor="end">${v >= 100 ? Math.round(v) : v.toFixed(1)}</text>`,
    );
  }
  for (let k = 0; k <= 6; k++) {
    const t = (xMax / 6) * k;
    parts.push(`<text x="${x(t)}" y="${H - B + 14}" font-size="10" text-anchor="middle">${Math.round(t)}s</text>`);
  }
  parts.push(`<text x="${W - R}" y="${H - 4}" font-size="10" text-anchor="end">${esc(unit)}</text>`);
  series.forEach((s, k) => {
    if (s.points.length > 0)
      parts.push(
        `<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${s.points.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`,
      );
    parts.push(`<text x="${L + 200 + k * 130}" y="16" font-size="11" fill="${s.color}">■ ${esc(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

export function renderHtml(r: FleetResult): string {
  const base = Math.floor(r.t0 / 1000);
  const tl: SecondStats[] = r.timeline;
  const rel = (s: SecondStats) => s.t - base;
  const xMax = Math.max(1, ...tl.map(rel));
  const windows = r.windows.map((w) => ({ from: w.from / 1000 - base, to: w.to / 1000 - base, label: w.label }));
  const shade: [number, number][] = tl.map((s) => [rel(s), s.faulty]);
  const q = (p: number) =>
    tl
      .filter((s) => s.e2e)
      .map((s) => [rel(s), decodeHistogram(s.e2e!).getValueAtPercentile(p) / 1000] as [number, number]);
  const charts = [
    lineChart(
      'Connected devices',
      'devices',
      [
        { name: 'connected', color: '#1e88e5', points: tl.map((s) => [rel(s), s.connected]) },
        { name: 'links down', color: '#e53935', points: tl.map((s) => [rel(s), s.faulty]) },
      ],
      windows,
      shade,
      xMax,
      r.devices,
    ),
    lineChart(
      'Message rates',
      'messages / s',
      [
        { name: 'published', color: '#43a047', points: tl.map((s) => [rel(s), s.pubs]) },
        { name: 'received', color: '#8e24aa', points: tl.map((s) => [rel(s), s.recvs]) },
        { name: 'drops', color: '#e53935', points: tl.map((s) => [rel(s), s.drops]) },
      ],
      windows,
      shade,
      xMax,
      r.devices,
    ),
    lineChart(
      'End-to-end latency',
      'ms',
      [
        { name: 'p50', color: '#1e88e5', points: q(50) },
        { name: 'p99', color: '#e53935', points: q(99) },
        { name: 'max', color: '#555', points: q(100) },
      ],
      windows,
      shade,
      xMax,
      r.devices,
    ),
  ];
  const lat = (l: FleetResult['latency']['e2e']) =>
    l
      ? `p50 ${l.p50.toFixed(1)} · p90 ${l.p90.toFixed(1)} · p99 ${l.p99.toFixed(1)} · max ${l.max.toFixed(1)} ms (${l.count} samples)`
      : 'no samples';
  const verdicts = r.results
    .map((c) => {
      const w = c.witness ? `<pre>${esc(c.witness.map((o) => formatOp(o, c.witness![0].time)).join('\n'))}</pre>` : '';
      return `<tr class="${c.verdict.replace(/ /g, '-')}"><td>${esc(c.checker)}</td><td><b>${esc(c.verdict)}</b></td><td>${esc(c.summary)}<br><small>${esc(c.statements.map((s) => s.id).join(', '))}</small>${w}</td></tr>`;
    })
    .join('');
  const c = r.counts;
  return `<!doctype html><html><head><meta charset="utf-8"><title>fleet ${esc(r.scenario)}</title><style>
body{font:14px system-ui,sans-serif;margin:24px;max-width:920px}td,th{padding:4px 8px;text-align:left;vertical-align:top;border-bottom:1px solid #ddd}
.violated td:nth-child(2){color:#c62828}.holds td:nth-child(2){color:#2e7d32}.undecided td:nth-child(2),.nothing-to-check td:nth-child(2){color:#ef6c00}pre{font-size:11px;background:#f6f6f6;padding:6px;white-space:pre-wrap;word-break:break-all}td{word-break:break-word}
</style></head><body><h1>Fleet run: ${esc(r.scenario)}</h1>
<p><b>${esc(r.summary)}</b> (exit ${r.exitCode})</p>
<p>${r.devices} devices in ${r.parts} part(s) over ${r.shards} shard(s) · MQTT ${esc(r.version)} · seed ${r.seed} · brokers ${esc(r.brokers.join(', '))} · window ${Math.round(r.durationMs / 1000)} s · load ${r.load.map((x) => x.toFixed(2)).join(' ')}</p>
<table><tr><th>published</th><th>acknowledged</th><th>received</th><th>distinct at hubs</th><th>drops</th><th>connects</th><th>connect failures</th><th>errors</th></tr>
<tr><td>${c.published}</td><td>${c.acknowledged}</td><td>${c.received}</td><td>${c.distinctReceived}</td><td>${c.drops}</td><td>${c.connects}</td><td>${c.connectFailures}</td><td>${r.errors}</td></tr></table>
<p>End-to-end latency: ${lat(r.latency.e2e)}<br>Connect latency: ${lat(r.latency.connect)}<br>Peak RSS: ${r.rssPeakMb.sum} MB over all workers (largest ${r.rssPeakMb.max} MB) · CPU ${(r.cpuMs / 1000).toFixed(1)} s · checks ${(r.checkMs / 1000).toFixed(1)} s over ${r.historyOps} ops</p>
<h2>Over time</h2><p><small>Red shading: share of the fleet's links down that second (darker = more); orange: fleet events (${esc(r.windows.map((w) => w.label).join('; ') || 'none')}).</small></p>
${charts.join('\n')}
<h2>Thresholds</h2>${r.thresholds.length === 0 ? '<p>none</p>' : `<ul>${r.thresholds.map((t) => `<li>${esc(formatThreshold(t))}</li>`).join('')}</ul>`}
<h2>Guarantees</h2><table><tr><th>checker</th><th>verdict</th><th>details and witness</th></tr>${verdicts}</table>
</body></html>
`;
}
