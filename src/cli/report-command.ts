import type { Command } from 'commander';
import { EXIT } from '../common/exit-codes.ts';

/**
 * `mqtt-harness report RUN... --out DIR [--baseline FILE]... [--update | --record]`
 * RUN is a compliance.json or a directory holding one; two or more make a matrix. Writes a static
 * site (index.html matrix, summary.html, diff.html, statements/, index.json) that opens from the
 * file system. With --baseline, each run is judged against its baseline (the i-th for the i-th
 * run): a new failure exits 1 and is named; fixed ones are reported (--update removes them).
 * Exit: 0 site written and every ratchet holds; 1 a ratchet broke; 2 bad arguments or input;
 * 3 a judged run was inconclusive.
 */
const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

interface Flags {
  out: string;
  baseline?: string[];
  label?: string[];
  update?: boolean;
  record?: boolean;
  junit?: string;
  specDir?: string;
}

export function register(program: Command): void {
  program
    .command('report')
    .description(
      'build the static compliance site (matrix, summary, statement pages, diffs, index.json) from compliance.json runs; --baseline ratchets',
    )
    .argument(
      '<run...>',
      'compliance.json files, directories holding one (reports/, $MQTT_REPORT_DIR), or directories of such directories (reports/matrix/)',
    )
    .requiredOption('--out <dir>', 'output directory of the site')
    .option(
      '--baseline <file>',
      'expected failures (YAML, with a note each) for the run in the same position; repeatable',
      collect,
    )
    .option('--update', 'remove fixed entries from the baseline (it only shrinks)')
    .option('--record', "write this run's failures as the baseline (keeps existing notes; review every new entry)")
    .option('--junit <file>', 'JUnit XML of the baseline comparison (one test case per scenario)')
    .option(
      '--label <name>',
      'column heading for the run in the same position, when its report names no broker; repeatable',
      collect,
    )
    .option('--spec-dir <dir>', 'folder with the MQTT standards (default ../shared/spec or $MQTT_SPEC_DIR)')
    // A usage error (missing --out, unknown option) exits 2 like every other usage error; help exits 0.
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT.usage))
    .action(async (runs: string[], flags: Flags) => {
      if (flags.update && flags.record) throw new Error('--update and --record exclude each other');
      if ((flags.update || flags.record || flags.junit) && !flags.baseline?.length)
        throw new Error('--update, --record and --junit need --baseline FILE');
      const { generateReport } = await import('../report/report-run.ts');
      let exit: number;
      try {
        exit = generateReport({
          runs,
          out: flags.out,
          labels: flags.label,
          baselines: flags.baseline,
          update: flags.update,
          record: flags.record,
          junit: flags.junit,
          specDir: flags.specDir,
        }).exit;
      } catch (e) {
        console.error(`mqtt-harness report: ${(e as Error).message}`);
        exit = EXIT.usage;
      }
      process.exitCode = exit;
    });
}
