import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '../../src/broker/index.ts';
import type { Misbehave } from '../../src/broker/options.ts';
import { explore } from '../../src/explore/index.ts';

// Each deliberately broken broker mode (src/broker/misbehave.ts) must be found by the explorer
// within a fixed budget (fixed seed, at most 300 programs) and shrunk to at most 6 steps.
const CASES: Array<{ mode: keyof Misbehave; version: '3.1.1' | '5.0'; seed: number; statement: string }> = [
  { mode: 'overlapMinQos', version: '5.0', seed: 42, statement: 'MQTT-3.3.4-2' },
  { mode: 'ignoreReceiveMaximum', version: '5.0', seed: 42, statement: 'MQTT-3.3.4-9' },
  { mode: 'reorderDeliveries', version: '5.0', seed: 42, statement: 'MQTT-4.6.0-5' },
  { mode: 'staleRetained', version: '5.0', seed: 42, statement: 'MQTT-3.3.1-5' },
  { mode: 'dropOfflineQueue', version: '3.1.1', seed: 42, statement: 'MQTT-3.1.2-5' },
  { mode: 'dropWills', version: '3.1.1', seed: 42, statement: 'MQTT-3.1.2-8' },
];

describe('explorer negative controls', () => {
  for (const c of CASES) {
    it(`finds and shrinks ${c.mode} (MQTT ${c.version}, seed ${c.seed})`, async () => {
      const b = await startBroker({
        port: 0,
        misbehave: { [c.mode]: true },
        logger: { debug() {}, info() {}, warn() {}, error() {} } as never,
      });
      try {
        const r = await explore({ target: { url: b.url }, version: c.version, seed: c.seed, runs: 300, maxClients: 3 });
        expect(r.findings.length, `seed ${c.seed}: nothing found in ${r.programs} programs`).toBe(1);
        const f = r.findings[0];
        expect(f.statements).toContain(c.statement);
        expect(f.steps.length, f.steps.join('\n')).toBeLessThanOrEqual(6);
        expect(f.gherkin).toContain(`@${c.statement}`);
      } finally {
        await b.close();
      }
    }, 120_000);
  }
});

describe('explorer against the correct reference broker', () => {
  let b: RunningBroker;
  beforeAll(async () => {
    b = await startBroker({ port: 0 });
  });
  afterAll(async () => {
    await b.close();
  });
  for (const version of ['3.1.1', '5.0'] as const) {
    it(`finds nothing in 150 programs at MQTT ${version} (seed 1234)`, async () => {
      const r = await explore({ target: { url: b.url }, version, seed: 1234, runs: 150, maxClients: 4 });
      expect(r.findings.map((f) => `${f.statements} ${f.findings[0]?.message}\n${f.gherkin}`)).toEqual([]);
      expect(r.programs).toBe(150);
      expect(r.harnessTrouble).toEqual([]);
    }, 120_000);
  }
});

// Legal-but-different broker choices (BrokerOptions.variant, issue 10) the model must allow:
// one copy per overlapping subscription, one message in flight at a time.
describe('explorer against legal-but-different broker variants', () => {
  for (const variant of [{ copyPerSubscription: true }, { oneMessageInFlight: true }]) {
    for (const version of ['3.1.1', '5.0'] as const) {
      it(`finds nothing with ${Object.keys(variant)[0]} at MQTT ${version} (100 programs, seed 99)`, async () => {
        const b = await startBroker({ port: 0, variant });
        try {
          const r = await explore({ target: { url: b.url }, version, seed: 99, runs: 100, maxClients: 3 });
          expect(r.findings.map((f) => `${f.statements} ${f.findings[0]?.message}\n${f.gherkin}`)).toEqual([]);
        } finally {
          await b.close();
        }
      }, 120_000);
    }
  }
});
