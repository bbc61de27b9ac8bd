// Totals every JUnit XML report given on the command line: one line per file, then
// "N passed, N failed, N skipped" over all of them. A missing or empty report counts as
// one failure, so a runner that crashed before writing its report can never look green.
import { readFileSync, existsSync } from 'node:fs';

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
  const re = /<testcase\b[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g;
  for (let m; (m = re.exec(xml));) {
    const body = m[2] ?? '';
    if (/<(failure|error)\b/.test(body)) f++;
    else if (/<skipped\b/.test(body)) s++;
    else p++;
  }
  if (p + f + s === 0) {
    console.log(`${file}: no test cases (counted as 1 failed)`);
    f = 1;
  } else {
    console.log(`${file}: ${p} passed, ${f} failed, ${s} skipped`);
  }
  passed += p;
  failed += f;
  skipped += s;
}
const extra = Number(process.env.EXTRA_FAILED ?? 0);
failed += extra;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
