// Totals every JUnit XML report given on the command line: one line per file, then
// the names of the failed cases (so a CI log's tail says which), the skipped count, and last the
// line "N passed, N failed" over all of them. A missing or empty report counts as
// one failure, so a runner that crashed before writing its report can never look green.
import { readFileSync, existsSync } from 'node:fs';

const unescape = (t) =>
  t
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#10;/g, ' ')
    .replace(/&amp;/g, '&');
let passed = 0,
  failed = 0,
  skipped = 0;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    console.log(`${file}: missing (counted as 1 failed)`);
    failed += 1;
    continue;
  }
  const xml = readFileSync(file, 'utf8');
  let p = 0,
    f = 0,
    s = 0;
  const re = /<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g;
  const names = [];
  for (let m; (m = re.exec(xml));) {
    const body = m[3] ?? '';
    if (/<(failure|error)\b/.test(body)) {
      f++;
      const attr = (k) => (m[1].match(new RegExp(`\\b${k}="([^"]*)"`)) ?? [])[1] ?? '';
      const why = unescape((body.match(/<(?:failure|error)\b[^>]*?message="([^"]*)"/) ?? [])[1] ?? '').replace(
        /\s+/g,
        ' ',
      );
      names.push(`  ✗ ${attr('classname')} › ${attr('name')}${why ? ` — ${why.slice(0, 300)}` : ''}`);
    } else if (/<skipped\b/.test(body)) s++;
    else p++;
  }
  if (p + f + s === 0) {
    console.log(`${file}: no test cases (counted as 1 failed)`);
    f = 1;
  } else {
    console.log(`${file}: ${p} passed, ${f} failed, ${s} skipped`);
    for (const n of names.slice(0, 20)) console.log(n);
    if (names.length > 20) console.log(`  … and ${names.length - 20} more`);
  }
  passed += p;
  failed += f;
  skipped += s;
}
const extra = Number(process.env.EXTRA_FAILED ?? 0);
failed += extra;
console.log(`${skipped} skipped (not applicable or skipped with a printed reason)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
