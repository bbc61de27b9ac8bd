import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REGISTRY } from '../../../src/spec/index.ts';

/**
 * Synthetic compliance.json files in schema 2 (and one in schema 1), with verdicts from a
 * deterministic pattern so tests know every count, and a password planted in a target URL,
 * a trace line and a CONNECT hex dump.
 */
export const SECRET = 's3cretPw!';
const hex = (s: string): string =>
  Buffer.from(s)
    .toString('hex')
    .replace(/(..)(?!$)/g, '$1 ');
const VERDICTS = ['passed', 'failed', 'not-applicable', 'advisory', 'inconclusive', 'untested'] as const;

/** Verdict of statement i in run `seed`: a fixed pattern, different per seed. */
export const verdictOf = (i: number, seed: number): (typeof VERDICTS)[number] =>
  VERDICTS[
    (i * (seed + 1) + seed) % 7 === 0
      ? 1
      : (i + seed) % 11 === 0
        ? 5
        : (i + seed) % 13 === 0
          ? 2
          : (i + seed) % 17 === 0
            ? 4
            : (i + seed) % 19 === 0
              ? 3
              : 0
  ]!;

export function connectHex(password: string): string {
  // 3.1.1 CONNECT, user "tester", password as given.
  const user = Buffer.from('tester'),
    pw = Buffer.from(password),
    cid = Buffer.from('c1');
  const body = Buffer.concat([
    Buffer.from([0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 0xc2, 0, 60]),
    Buffer.from([0, cid.length]),
    cid,
    Buffer.from([0, user.length]),
    user,
    Buffer.from([0, pw.length]),
    pw,
  ]);
  return Buffer.concat([Buffer.from([0x10, body.length]), body])
    .toString('hex')
    .replace(/(..)(?!$)/g, '$1 ');
}

export function makeReport(
  seed: number,
  broker: { name: string; version: string },
  generatedAt: string,
): Record<string, unknown> {
  const statements = REGISTRY.map((s, i) => {
    const verdict = verdictOf(i, seed);
    const scen =
      verdict === 'untested'
        ? []
        : [{ name: `checks ${s.id}`, where: `features/f${i % 9}.feature:${10 + i}`, outcome: verdict }];
    return {
      version: s.version,
      id: s.id,
      level: s.level,
      section: s.section,
      summary: s.summary,
      verdict,
      scenarios: scen,
      ...(verdict === 'failed'
        ? {
            deciding: {
              scenario: `checks ${s.id}`,
              where: `features/f${i % 9}.feature:${10 + i}`,
              step: 'Then A receives CONNACK',
              evidence: `expected CONNACK, got nothing (${s.id})`,
            },
          }
        : {}),
    };
  });
  const scenarioResults = REGISTRY.flatMap((s, i) => {
    const v = verdictOf(i, seed);
    if (v === 'untested') return [];
    const trace = `Packet trace (MQTT ${s.version}, times from scenario start)\n     0.8 ms  A      -> CONNECT protocolName="MQTT" protocolLevel=4 clean=true keepAlive=60 clientId="c1" username="tester" password="${SECRET}"\n                    [${18 + 8 + SECRET.length} B] ${connectHex(SECRET)}\n     1.0 ms  A      <- CONNACK sessionPresent=false returnCode=0\n                    [4 B] 20 02 00 00`;
    return [
      {
        name: `checks ${s.id}`,
        where: `features/f${i % 9}.feature:${10 + i}`,
        version: s.version,
        statementIds: [s.id],
        kind: v,
        ...(v === 'failed'
          ? {
              step: { text: 'Then A receives CONNACK', line: 12, statements: [s.id] },
              detail: `ExpectationError: expected CONNACK; observed ${hex(SECRET)} and ${SECRET}`,
              trace,
            }
          : {}),
        ...(v === 'inconclusive' ? { cause: 'precondition' } : {}),
        durationMs: 3,
      },
    ];
  });
  return {
    tool: 'mqtt-harness',
    schemaVersion: 2,
    generatedAt,
    target: `mqtt://tester:${SECRET}@127.0.0.1:1883`,
    broker,
    capabilities: {
      '3.1.1': { supported: true, maximumQoS: 2, retainAvailable: true },
      '5.0': { supported: seed !== 2 },
    },
    run: { outcome: 'violations', exitCode: 1 },
    summary: [],
    findings: [{ origin: 'probe', message: `the broker closed the probe's $share SUBSCRIBE (password ${SECRET})` }],
    statements,
    scenarioResults,
  };
}

/** Writes runs into dir/<name>/compliance.json; returns the directories. */
export function writeRuns(dir: string, reports: Record<string, Record<string, unknown>>): string[] {
  return Object.entries(reports).map(([name, r]) => {
    const d = join(dir, name);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'compliance.json'), JSON.stringify(r, null, 1));
    return d;
  });
}

/** Expected count of a verdict in run `seed`, over the registry. */
export const expectedCount = (seed: number, verdict: string): number =>
  REGISTRY.filter((_, i) => verdictOf(i, seed) === verdict).length;
