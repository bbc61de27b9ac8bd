import type { CellVerdict } from './model.ts';

/** HTML helpers shared by every page: escaping, the page frame with its inline style, verdict words and colours. */
export const esc = (s: unknown): string =>
  String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

export const VERDICT_WORD: Record<CellVerdict, string> = {
  passed: 'passed',
  failed: 'failed',
  'not-applicable': 'not applicable',
  advisory: 'advisory',
  inconclusive: 'inconclusive',
  untested: 'untested',
};
/** Short cell text, so a colour is never the only signal. */
export const VERDICT_SHORT: Record<CellVerdict, string> = {
  passed: 'pass',
  failed: 'FAIL',
  'not-applicable': 'n/a',
  advisory: 'adv',
  inconclusive: 'inc',
  untested: '–',
};
export const VERDICT_CLASS: Record<CellVerdict, string> = {
  passed: 'vp',
  failed: 'vf',
  'not-applicable': 'vn',
  advisory: 'va',
  inconclusive: 'vi',
  untested: 'vu',
};
export const VERDICT_COLOR: Record<CellVerdict, string> = {
  passed: '#4caf50',
  failed: '#e53935',
  'not-applicable': '#9e9e9e',
  advisory: '#ffb300',
  inconclusive: '#8e24aa',
  untested: '#e0e0e0',
};

export const CHAPTERS: Record<string, string> = {
  '1': 'Introduction',
  '2': 'MQTT Control Packet format',
  '3': 'MQTT Control Packets',
  '4': 'Operational behavior',
  '5': 'Security',
  '6': 'Using WebSocket as a network transport',
  '7': 'Conformance',
};
export const chapterOf = (section: string): string => section.split('.')[0] || '?';

const STYLE = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 16px 32px;color:#222}
h1{font-size:20px;margin:12px 0 4px}h2{font-size:17px;margin:20px 0 6px}h3{font-size:15px;margin:14px 0 4px}
a{color:#0b57d0}nav{margin:6px 0 10px}nav a{margin-right:14px}
table{border-collapse:collapse}th,td{border:1px solid #ddd;padding:1px 6px;vertical-align:top}
thead th{position:sticky;top:0;background:#f5f5f5;z-index:1}th.run{max-width:15em;font-size:13px}th.run .muted{font-size:11px;font-weight:400}
.vp{background:#c8e6c9}.vf{background:#ffcdd2;font-weight:600}.vn{background:#eeeeee;color:#555}.va{background:#ffe0b2}.vi{background:#e1bee7}.vu{background:#fff;color:#999}
td.c{text-align:center;white-space:nowrap;min-width:4em}td.c a{color:inherit;text-decoration:none;display:block}
tr.ch th{background:#37474f;color:#fff;text-align:left}tr.sec th{background:#eceff1;text-align:left;font-weight:600}
tr.sec td{background:#eceff1;font-size:12px;white-space:nowrap}
tr.st td:first-child,tr.st td:nth-child(2){white-space:nowrap}td.t{max-width:28em;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.b{display:inline-block;padding:0 4px;margin:0 1px;border-radius:3px}
pre{background:#fafafa;border:1px solid #e0e0e0;padding:6px;overflow:auto;font-size:12px;max-height:40em}
.muted{color:#666;font-size:12px}.run{border-left:4px solid #90a4ae;padding-left:10px;margin:14px 0}
form.filters{position:sticky;top:0;background:#fff;padding:6px 0;z-index:2}form.filters label{margin-right:12px}
pre.ev{white-space:pre-wrap}.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(680px,1fr));gap:8px}blockquote{margin:6px 0;padding:6px 10px;border-left:4px solid #0b57d0;background:#f3f6fc}
`;

export interface PageOptions {
  title: string;
  /** "" for the site root, "../../" for statement pages. */
  root: string;
  body: string;
  script?: string;
}

export function page(o: PageOptions): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(o.title)}</title><style>${STYLE}</style></head>
<body><nav><a href="${o.root}index.html">Matrix</a><a href="${o.root}summary.html">Summary</a><a href="${o.root}diff.html">Diffs</a><a href="${o.root}index.json">index.json</a></nav>
${o.body}${o.script ? `\n<script>${o.script}</script>` : ''}
</body></html>
`;
}

/** Verdict badge. */
export const badge = (v: CellVerdict, text = VERDICT_WORD[v]): string =>
  `<span class="b ${VERDICT_CLASS[v]}">${esc(text)}</span>`;

export const statementHref = (version: string, id: string): string =>
  `statements/${version}/${id.replace(/[^A-Za-z0-9.-]/g, '_')}.html`;
