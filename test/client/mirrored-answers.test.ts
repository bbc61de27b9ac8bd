import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TestClient } from '../../src/client/index.ts';

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

/** A server that answers any bytes with these bytes once, and keeps the connection open. */
async function answering(hex: string): Promise<string> {
  server = createServer((s) => {
    s.once('data', () => s.write(Buffer.from(hex.replace(/ /g, ''), 'hex')));
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return `mqtt://127.0.0.1:${(server.address() as { port: number }).port}`;
}

describe('answers that mirror what the harness sent', () => {
  it('a PUBACK echoing the Packet Identifier 0 the client sent is not counted, and the harness does not close the connection', async () => {
    const c = await TestClient.open({
      url: await answering('40 02 00 00'),
      connectTimeoutMs: 1000,
      name: 'A',
      protocolLevel: 4,
    });
    c.sendRaw('32 05 00 01 61 00 00');
    await new Promise((r) => setTimeout(r, 100));
    expect(c.violations).toHaveLength(1);
    expect(c.unexpectedViolations()).toEqual([]);
    expect(c.closed).toBe(false);
    await c.close(200);
  });
  it('the same PUBACK after a non-zero id is a violation, and the harness closes the connection itself (and says so)', async () => {
    const c = await TestClient.open({
      url: await answering('40 02 00 00'),
      connectTimeoutMs: 1000,
      name: 'A',
      protocolLevel: 4,
    });
    c.sendRaw('32 05 00 01 61 00 07');
    await c.expectClosed(1000);
    expect(c.unexpectedViolations().map((v) => v.violation.statement.id)).toEqual(['MQTT-2.3.1-6']);
    expect(c.closeInfo?.byUs).toBe(true);
  });
});
