/**
 * `mqtt-harness fleet run <scenario>`: runs a fleet scenario (scenarios/fleets/<name>.yaml or a
 * path) against a broker URL or a private embedded broker, prints the checker verdicts, and
 * exits 1 when a guarantee is violated. `fleet check <history.jsonl>` re-checks a saved history
 * (./fleet-check.ts);
 * `fleet list` names the stored scenarios.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { toJsonLines } from '../checker/index.ts';
import { fleetDir, loadFleetScenario, runFleet } from '../fleet/index.ts';
import { registerCheck } from './fleet-check.ts';

function seedArg(v: string): number {
  const n = Number(v);
  if (!/^[0-9]+$/.test(v) || n > 0xffffffff) throw new InvalidArgumentError(`expected a seed 0..4294967295, got "${v}"`);
  return n;
}

export function register(program: Command): void {
  const fleet = program.command('fleet').description('virtual device fleets over fault-injecting links, judged by the guarantee checkers');

  fleet.command('run')
    .argument('<scenario>', 'scenario name in scenarios/fleets, or a YAML path')
    .option('--broker <url>', 'broker to test (mqtt://host:port); default: a private embedded broker')
    .option('--seed <n>', 'override the scenario seed', seedArg)
    .option('--history <file>', 'write the recorded history as JSON lines')
    .option('--json', 'print the report as JSON')
    .description('run a fleet scenario and check its guarantees')
    .action(async (name: string, o: { broker?: string; seed?: number; history?: string; json?: boolean }) => {
      const s = loadFleetScenario(name);
      let close = async (): Promise<void> => {};
      let url = o.broker;
      if (url === undefined) {
        const { startBroker } = await import('../broker/index.ts');
        const b = await startBroker({ host: '127.0.0.1', port: 0 });
        url = b.url;
        close = () => b.close();
      }
      try {
        const r = await runFleet(s, { brokerUrl: url, seed: o.seed, onProgress: o.json ? undefined : (l) => console.log(l) });
        if (o.history) writeFileSync(o.history, toJsonLines(r.history));
        const { history, ...rest } = r;
        if (o.json) console.log(JSON.stringify({ ...rest, historyOps: history.length }, null, 2));
        else {
          console.log(`${r.scenario} (seed ${r.seed}, MQTT ${r.version}): ${r.devices} devices, ${r.published} published, ` +
            `${r.acknowledged} acknowledged, ${r.received} received, ${r.drops} connection drops, ${r.faults} faults; ` +
            `run ${r.runMs} ms, checks ${r.checkMs.toFixed(1)} ms over ${history.length} ops`);
          console.log(r.valid ? 'all guarantees hold' : `GUARANTEE VIOLATED (replay with --seed ${r.seed})`);
        }
        if (!r.valid) process.exitCode = 1;
      } finally {
        await close();
      }
    });

  registerCheck(fleet);

  fleet.command('list')
    .description('list the fleet scenarios in scenarios/fleets')
    .action(() => {
      for (const f of readdirSync(fleetDir).filter((x) => x.endsWith('.yaml')).sort()) {
        const s = loadFleetScenario(f.replace(/\.yaml$/, ''));
        console.log(`${s.name.padEnd(24)} ${s.description.replace(/\s+/g, ' ')}`);
      }
    });
}
