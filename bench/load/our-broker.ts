/** The reference broker as a bench target: prints {"event":"ready", port, pid}; stops on SIGTERM. */
import { startBroker } from '../../src/broker/index.ts';
import { emit, fatal, onCommand } from './proto.ts';

try {
  const b = await startBroker({
    port: 0,
    logLevel: 'error',
    limits: { maxInflight: 100, maxQueuedMessages: 100_000, maxConnections: 100_000 },
  });
  emit({ event: 'ready', port: b.port, pid: process.pid });
  const stop = () => void b.close().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // {"cmd":"gc"}: a full collection before an RSS reading (run with --expose-gc), as V8's memory
  // reducer would do on its own after some seconds of idleness.
  const gc = (globalThis as { gc?: () => void }).gc;
  onCommand((m) => {
    if (m.cmd !== 'gc') return;
    gc?.();
    gc?.();
    emit({ event: 'gc-done', collected: gc !== undefined });
  });
} catch (e) {
  fatal(e);
}
