import { Command, CommanderError } from 'commander';
import { EXIT } from '../common/exit-codes.ts';

/**
 * The mqtt-harness command line. Each subcommand lives in its own file and is
 * loaded only when it is run, so a slow import never delays the others.
 */
const program = new Command()
  .name('mqtt-harness')
  .description('MQTT 3.1.1 / 5.0 conformance and simulation test harness')
  .showHelpAfterError()
  .exitOverride(); // usage errors exit 2 (EXIT.usage), not commander's 1 (which means violations)

const commands: Array<{ name: string; load: () => Promise<{ register(p: Command): void }> }> = [
  { name: 'spec', load: () => import('./spec-command.ts') },
  { name: 'coverage', load: () => import('./coverage-command.ts') },
  { name: 'broker', load: () => import('./broker-command.ts') },
  { name: 'proxy', load: () => import('./proxy-command.ts') },
  { name: 'fleet', load: () => import('./fleet-command.ts') },
  { name: 'report', load: () => import('./report-command.ts') },
  { name: 'fuzz', load: () => import('./fuzz-command.ts') },
  { name: 'audit', load: () => import('./audit-command.ts') },
  { name: 'explore', load: () => import('./explore-command.ts') },
];

const wanted = process.argv[2];
for (const c of commands) {
  if (wanted === undefined || wanted.startsWith('-') || wanted === 'help' || wanted === c.name) {
    (await c.load()).register(program);
  }
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError)
    process.exitCode = e.exitCode === 0 ? EXIT.ok : EXIT.usage; // commander printed it
  else {
    console.error(`mqtt-harness: ${(e as Error).message}`);
    process.exitCode = EXIT.usage;
  }
}
