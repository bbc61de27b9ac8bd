import { Command } from 'commander';
import { register } from '../src/fleet/fleet-command.ts';
const p = new Command().name('mqtt-harness');
register(p);
await p.parseAsync(process.argv);
