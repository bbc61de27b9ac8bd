/**
 * Reference point for the memory case: a bare node:net server that answers the first bytes of
 * each connection with a CONNACK and keeps the socket open, nothing else. Its RSS per idle
 * connection is what Node's own socket (net.Socket, its stream states, the TCP handle and libuv)
 * costs, measured the same way as the brokers. Prints {"event":"ready", port, pid}; {"cmd":"gc"}
 * runs a full collection like our-broker.ts.
 */
import { createServer, type Socket } from 'node:net';
import { emit, fatal, onCommand } from './proto.ts';

const CONNACK = Buffer.from([0x20, 2, 0, 0]);
const acked = new WeakSet<Socket>();
function onData(this: Socket): void {
  if (acked.has(this)) return;
  acked.add(this);
  this.write(CONNACK);
}
function onError(): void {}

const server = createServer({ noDelay: true }, (s) => {
  s.on('data', onData);
  s.on('error', onError);
});
server.on('error', fatal);
server.listen(0, '127.0.0.1', () => {
  const a = server.address();
  emit({ event: 'ready', port: a !== null && typeof a === 'object' ? a.port : 0, pid: process.pid });
});
const gc = (globalThis as { gc?: () => void }).gc;
onCommand((m) => {
  if (m.cmd !== 'gc') return;
  gc?.();
  gc?.();
  emit({ event: 'gc-done', collected: gc !== undefined });
});
process.on('SIGTERM', () => process.exit(0));
