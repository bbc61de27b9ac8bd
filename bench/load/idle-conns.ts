/**
 * Load child: opens --conns N idle MQTT connections (CONNECT, --keep-alive 60), --parallel at a
 * time, prints {"event":"connected", n, failed}; on {"cmd":"finish"} closes them and exits.
 * With --wait-go yes it prints {"event":"ready"} first and connects on {"cmd":"go"}.
 */
import { RawClient } from './raw-client.ts';
import { argOf, emit, fatal, onCommand } from './proto.ts';

const host = argOf('host', '127.0.0.1');
const port = Number(argOf('port'));
const n = Number(argOf('conns', '10000'));
const parallel = Number(argOf('parallel', '200'));
const waitGo = argOf('wait-go', 'no') === 'yes';
// Keep alive as real clients announce it (60 s): a broker must track it per connection while they idle.
const keepAlive = Number(argOf('keep-alive', '60'));

const clients: RawClient[] = [];
let failed = 0;
let firstError = '';
let finishing = false;

async function one(i: number): Promise<void> {
  try {
    const c = await RawClient.open(host, port, 4, 20_000);
    c.onClose = () => {
      if (!finishing) failed++;
    };
    await c.handshake(`bench-idle-${process.pid}-${i}`, { keepAlive }, 20_000);
    clients.push(c);
  } catch (e) {
    failed++;
    firstError ||= (e as Error).message;
  }
}

async function connectAll(): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) await one(next++);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, n) }, worker));
  emit({ event: 'connected', n: clients.length, failed, firstError });
}

onCommand((m) => {
  if (m.cmd === 'go' && waitGo) void connectAll().catch(fatal);
  if (m.cmd !== 'finish') return;
  finishing = true;
  for (const c of clients) c.socket.destroy();
  setTimeout(() => process.exit(0), 100).unref();
});
if (waitGo) emit({ event: 'ready' });
else void connectAll().catch(fatal);
