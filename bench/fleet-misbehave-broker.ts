/**
 * The reference broker in one of its broken modes, for the fleet's negative control:
 *   tsx bench/fleet-misbehave-broker.ts PORT lose-qos1=N | duplicate-qos2
 * Prints "listening on URL" and runs until killed.
 */
import { startBroker } from '../src/broker/index.ts';

const [portS, mode] = process.argv.slice(2);
const m = /^lose-qos1=(\d+)$/.exec(mode ?? '');
const misbehave = m
  ? { loseQos1EveryNth: Number(m[1]) }
  : mode === 'duplicate-qos2'
    ? { duplicateQos2: true }
    : undefined;
if (misbehave === undefined) {
  console.error('usage: fleet-misbehave-broker.ts PORT lose-qos1=N|duplicate-qos2');
  process.exit(2);
}
const b = await startBroker({ host: '127.0.0.1', port: Number(portS ?? 0), misbehave });
console.log(`listening on ${b.url} (misbehave ${JSON.stringify(misbehave)})`);
const stop = () => void b.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
