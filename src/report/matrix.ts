/**
 * `npm run matrix`: runs the conformance suite against every broker this machine can start
 * (embedded reference broker, Debian mosquitto, aedes 1.2.0, RabbitMQ 3.10 + rabbitmq_mqtt),
 * plus any `--container IMAGE` (testcontainers, needs Docker), each into its own report
 * directory, then builds the site with `mqtt-harness report`'s code path. Each run is judged
 * against its baseline where one exists (scenarios/expectations/<target>.yaml, and the mosquitto
 * file): the exit code is the ratchet's (1 only on a new failure).
 *   npm run matrix -- [--out reports/matrix] [--targets embedded,mosquitto] [--container IMAGE]... [--no-ratchet]
 * MQTT_PARALLEL (default 2) and MQTT_TIME_SCALE pass through to cucumber.
 */
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { EXIT } from '../common/exit-codes.ts';
import { didYouMean } from '../common/close-match.ts';
import { generateReport } from './report-run.ts';
import { containerLauncher, LAUNCHERS, TargetUnavailable, targetEnv, type TargetLauncher } from './targets/index.ts';

const BASELINES: Record<string, string> = { mosquitto: 'scenarios/expectations/mosquitto-2.0.11.yaml' };
const baselineOf = (name: string): string | undefined => {
  const own = `scenarios/expectations/${name.replace(/[^A-Za-z0-9.-]+/g, '-')}.yaml`;
  return existsSync(own) ? own : BASELINES[name] && existsSync(BASELINES[name]!) ? BASELINES[name] : undefined;
};

const opts = new Command()
  .name('matrix')
  .option('--out <dir>', 'where the runs and the site go', 'reports/matrix')
  .option(
    '--targets <list>',
    `comma-separated: ${LAUNCHERS.map((l) => l.name).join(',')}`,
    LAUNCHERS.map((l) => l.name).join(','),
  )
  .option(
    '--container <image>',
    'also run against this image through testcontainers (repeatable)',
    (v: string, p: string[] = []) => [...p, v],
  )
  .option('--no-ratchet', 'do not judge runs against their baselines')
  .option('--timeout <minutes>', 'per-broker bound on the suite', '25')
  .parse()
  .opts<{ out: string; targets: string; container?: string[]; ratchet: boolean; timeout: string }>();

const launchers: TargetLauncher[] = [];
for (const n of opts.targets
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean)) {
  const l = LAUNCHERS.find((x) => x.name === n);
  if (!l) {
    console.error(
      `matrix: unknown target "${n}"${didYouMean(
        n,
        LAUNCHERS.map((x) => x.name),
      )}`,
    );
    process.exit(EXIT.usage);
  }
  launchers.push(l);
}
for (const image of opts.container ?? []) launchers.push(containerLauncher(image));

const started = Date.now();
const secs = (ms: number): string => `${(ms / 1000).toFixed(0)} s`;
const done: Array<{ name: string; dir: string; label: string; baseline?: string; exit: number; ms: number }> = [];
const skipped: string[] = [];
for (const l of launchers) {
  const t0 = Date.now();
  const dir = join(opts.out, l.name.replace(/[^A-Za-z0-9.-]+/g, '-'));
  console.log(`\n=== matrix: ${l.name} — ${l.description}`);
  let target;
  try {
    target = await l.start((line) => console.log(`matrix: ${line}`));
  } catch (e) {
    const why = e instanceof TargetUnavailable ? (e as Error).message : `could not start: ${(e as Error).message}`;
    console.log(`matrix: ${l.name} skipped: ${why}`);
    skipped.push(`${l.name}: ${why}`);
    continue;
  }
  rmSync(join(dir, 'compliance.json'), { force: true });
  const env = targetEnv(target, {
    ...process.env,
    MQTT_REPORT_DIR: dir,
    MQTT_PARALLEL: process.env.MQTT_PARALLEL ?? '2',
  });
  let exit: number;
  try {
    exit = await new Promise<number>((resolve) => {
      const child = spawn('npx', ['cucumber-js'], { stdio: 'inherit', env });
      const bound = setTimeout(
        () => {
          console.log(`matrix: ${l.name}: over ${opts.timeout} min, stopping the suite`);
          child.kill('SIGTERM');
        },
        Number(opts.timeout) * 60_000,
      );
      child.once('exit', (code) => {
        clearTimeout(bound);
        resolve(code ?? 1);
      });
    });
  } finally {
    await target.stop();
  }
  const ms = Date.now() - t0;
  const label = `${target.broker.name}${target.broker.version ? ` ${target.broker.version}` : ''}`;
  console.log(`matrix: ${l.name} done in ${secs(ms)} (cucumber exit ${exit})`);
  if (!existsSync(join(dir, 'compliance.json'))) {
    skipped.push(`${l.name}: the suite wrote no compliance.json (exit ${exit})`);
    continue;
  }
  done.push({ name: l.name, dir, label, baseline: opts.ratchet ? baselineOf(l.name) : undefined, exit, ms });
}

if (done.length === 0) {
  console.error(`matrix: no run produced a report\n  ${skipped.join('\n  ')}`);
  process.exit(EXIT.inconclusive);
}
const r = generateReport({
  runs: done.map((d) => d.dir),
  labels: done.map((d) => d.label),
  out: join(opts.out, 'site'),
  baselines: done.map((d) => d.baseline),
  junit: join(opts.out, 'ratchet-junit.xml'),
});
console.log('\nmatrix: statements per broker (both versions)');
r.runs.forEach((run, i) => {
  const c = (v: string): number => r.site.rows.filter((row) => row.cells[i] === v).length;
  console.log(
    `  ${run.label.padEnd(40)} ${String(c('failed')).padStart(4)} failed ${String(c('passed')).padStart(4)} passed ${String(c('not-applicable')).padStart(4)} n/a ${String(c('inconclusive')).padStart(4)} inconclusive ${String(c('advisory')).padStart(3)} advisory ${String(c('untested')).padStart(4)} untested`,
  );
});
console.log(
  `\nmatrix: ${done.length} broker(s) in ${secs(Date.now() - started)} (${done.map((d) => `${d.name} ${secs(d.ms)}`).join(', ')}); site: ${join(opts.out, 'site', 'index.html')}`,
);
for (const s of skipped) console.log(`matrix: not in the matrix: ${s}`);
process.exit(r.exit);
