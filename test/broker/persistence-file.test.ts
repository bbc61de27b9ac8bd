import { mkdtempSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FilePersistence } from '../../src/broker/index.ts';
import { persistenceContract } from './persistence-contract.ts';

const dirs: string[] = [];
const freshDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'mqtt-harness-fp-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

persistenceContract('FilePersistence', {
  create: async () => new FilePersistence(freshDir()),
  reopen: async (p) => {
    await p.close();
    return new FilePersistence((p as FilePersistence).dir);
  },
});

describe('FilePersistence specifics', () => {
  it('ignores a torn final record and compacts a long log', async () => {
    const dir = freshDir();
    const p = new FilePersistence(dir, { compactSlack: 10 });
    await p.load();
    for (let i = 0; i < 100; i++) {
      p.setRetained({ topic: 'r', payload: Buffer.from(String(i)), qos: 0, retain: true });
    }
    await p.sync();
    await p.close();
    appendFileSync(join(dir, 'broker.log'), '{"t":"r","m":{"top');
    const q = new FilePersistence(dir);
    const s = await q.load();
    expect(s.retained.map((m) => m.payload.toString())).toEqual(['99']);
    await q.close();
  });
});
