import { loadFleetScenario, runFleet } from '../src/fleet/index.ts';
import { startBroker } from '../src/broker/start-broker.ts';
const url = process.env.URL;
const b = url ? undefined : await startBroker({ host: '127.0.0.1', port: 0 });
for (const n of process.argv.slice(2)) {
  const r = await runFleet(loadFleetScenario(n), { brokerUrl: url ?? b!.url, onProgress: (l) => console.log('  ' + l.split('\n')[0]) });
  console.log(n, JSON.stringify({ ...r, history: r.history.length, results: r.results.map((x) => [x.checker, x.valid, x.checked, x.unknown]) }));
}
await b?.close();
