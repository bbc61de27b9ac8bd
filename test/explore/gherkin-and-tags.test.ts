import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toGherkin } from '../../src/explore/index.ts';
import { modelStatements, type ModelFinding } from '../../src/model/index.ts';
import { ref311 } from '../../src/spec/index.ts';

describe('explorer Gherkin output', () => {
  it('renders a shrunk program in the step vocabulary, with version and statement tags and the failed check', () => {
    const finding: ModelFinding = {
      family: 'overlap-qos',
      key: 'k',
      statements: [ref311('MQTT-3.3.5-1')],
      events: [],
      missing: true,
      message: 'xq1c0: message xq1:2 owed at QoS 1 but never arrived',
      about: { kind: 'missing', clientId: 'xq1c0', msg: 'xq1:2', topic: 'xq1/a/a', qos: 1 },
    };
    const g = toGherkin({
      program: {
        version: '3.1.1',
        clients: 2,
        steps: [
          { k: 'subscribe', c: 0, filter: '#', qos: 2 },
          { k: 'subscribe', c: 0, filter: '+/+', qos: 0 },
          { k: 'publish', c: 1, topic: 'a/a', qos: 1, retain: false, empty: false, count: 1 },
          { k: 'publish', c: 1, topic: 'a/a', qos: 1, retain: true, empty: false, count: 20 },
          { k: 'disconnect', c: 0, abrupt: true },
        ],
      },
      findings: [finding],
      msgStep: { 'xq1:2': { step: 2, i: 1 } },
      seed: 5,
    });
    expect(g).toContain('@v3.1.1 @MQTT-3.3.5-1');
    expect(g).toContain('When "c0" subscribes to "ex/#" with qos 2');
    expect(g).toContain('When "c1" publishes "m2" to "ex/a/a" with qos 1');
    expect(g).toContain('When "c1" publishes 20 messages "m3-" to "ex/a/a" with qos 1 retained without waiting');
    expect(g).toContain('When "c0" drops the connection');
    expect(g).toContain('Then "c0" receives message "m2" on "ex/a/a" with qos 1 within 2 s');
  });
});

describe('features/explore/explore.feature', () => {
  it('is tagged, per version, with exactly the statements the model can cite', () => {
    const text = readFileSync('features/explore/explore.feature', 'utf8');
    const blocks = text.split('Examples:');
    const tagsBefore = (i: number): string[] => blocks[i].match(/@MQTT-[0-9.-]+/g) ?? [];
    expect(new Set(tagsBefore(0))).toEqual(new Set(modelStatements('3.1.1').map((r) => `@${r.id}`)));
    expect(new Set(tagsBefore(1))).toEqual(new Set(modelStatements('5.0').map((r) => `@${r.id}`)));
  });
});
