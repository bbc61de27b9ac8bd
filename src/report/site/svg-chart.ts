import { CELL_VERDICTS, type CellVerdict } from './model.ts';
import { esc, VERDICT_COLOR, VERDICT_WORD } from './html.ts';

/**
 * A horizontal stacked bar chart as inline SVG, drawn here (no chart library in the page):
 * one bar per label, segments in CELL_VERDICTS order, each with a <title> for its count.
 */
export function stackedBars(
  title: string,
  bars: ReadonlyArray<{ label: string; counts: ReadonlyMap<CellVerdict, number> }>,
): string {
  const labelW = 190,
    barW = 420,
    rowH = 22,
    top = 24,
    legendH = 22;
  const total = Math.max(1, ...bars.map((b) => [...b.counts.values()].reduce((a, n) => a + n, 0)));
  const h = top + bars.length * rowH + legendH + 6;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${labelW + barW + 60}" height="${h}" role="img" aria-label="${esc(title)}" font-family="system-ui,sans-serif" font-size="12">`,
    `<text x="0" y="15" font-weight="600">${esc(title)}</text>`,
  ];
  bars.forEach((b, i) => {
    const y = top + i * rowH;
    parts.push(`<text x="0" y="${y + 14}">${esc(b.label.length > 30 ? `${b.label.slice(0, 29)}…` : b.label)}</text>`);
    let x = labelW,
      sum = 0;
    for (const v of CELL_VERDICTS) {
      const n = b.counts.get(v) ?? 0;
      if (!n) continue;
      const w = (n / total) * barW;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="${VERDICT_COLOR[v]}"><title>${esc(`${b.label}: ${n} ${VERDICT_WORD[v]}`)}</title></rect>`,
      );
      x += w;
      sum += n;
    }
    parts.push(`<text x="${(x + 4).toFixed(1)}" y="${y + 14}" fill="#555">${sum}</text>`);
  });
  let lx = 0;
  const ly = top + bars.length * rowH + 8;
  for (const v of CELL_VERDICTS) {
    parts.push(
      `<rect x="${lx}" y="${ly}" width="10" height="10" fill="${VERDICT_COLOR[v]}"/><text x="${lx + 14}" y="${ly + 9}">${VERDICT_WORD[v]}</text>`,
    );
    lx += 18 + VERDICT_WORD[v].length * 7;
  }
  parts.push('</svg>');
  return parts.join('');
}
