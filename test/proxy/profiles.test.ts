import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createProxy,
  listProfiles,
  loadProfile,
  normalizeToxic,
  profileDir,
  ProfileError,
} from '../../src/proxy/index.ts';

const tmp = mkdtempSync(join(tmpdir(), 'proxy-profiles-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const required = ['2g-edge', '3g', 'lte', 'satellite', 'flaky-cellular', 'tunnel', 'wifi-handover'];

describe('link profiles', () => {
  it('ships the required profiles and each one validates', () => {
    const names = listProfiles();
    for (const n of required) expect(names).toContain(n);
    for (const n of names) {
      const p = loadProfile(n);
      expect(p.name).toBe(n);
      expect(p.toxics.length).toBeGreaterThan(0);
      for (const t of p.toxics) expect(() => normalizeToxic(t)).not.toThrow();
    }
  });

  it('every attribute value in a profile file carries a comment saying where it comes from', () => {
    for (const n of listProfiles()) {
      const lines = readFileSync(join(profileDir, `${n}.yaml`), 'utf8').split('\n');
      let inAttrs = false;
      for (const [i, line] of lines.entries()) {
        if (/^\s+attributes:\s*$/.test(line)) inAttrs = true;
        else if (/^\s+-\s/.test(line) || /^\S/.test(line)) inAttrs = false;
        else if (inAttrs && /^\s+\w+:\s*\S/.test(line)) expect(line, `${n}.yaml line ${i + 1}`).toMatch(/#\s*\S/);
      }
    }
  });

  it('flaky-cellular uses a Gilbert–Elliott model; tunnel and wifi-handover use outage schedules', () => {
    expect(loadProfile('flaky-cellular').toxics.map((t) => t.type)).toContain('flaky');
    expect(loadProfile('tunnel').toxics.find((t) => t.type === 'outage')?.attributes).toMatchObject({ cycles: 1 });
    expect(loadProfile('wifi-handover').toxics.find((t) => t.type === 'outage')?.attributes).toMatchObject({
      existing: 'reset',
    });
  });

  it('a bad profile gets an error naming the file, the key path and the problem', () => {
    const f = join(tmp, 'bad.yaml');
    writeFileSync(f, 'name: bad\ndescription: x\ntoxics:\n  - type: latency\n    attributes:\n      latency: -5\n');
    expect(() => loadProfile(f)).toThrow(ProfileError);
    expect(() => loadProfile(f)).toThrow(`${f}: toxics[0].attributes.latency:`);
    const g = join(tmp, 'bad2.yaml');
    writeFileSync(g, 'name: bad2\ndescription: x\ntoxics:\n  - type: latency\n  - type: latency\n');
    expect(() => loadProfile(g)).toThrow(/bad2\.yaml: toxics\[1\]\.name: .*duplicate/);
    const h = join(tmp, 'bad3.yaml');
    writeFileSync(h, 'name: bad3\ndescriptio: x\ntoxics: []\n');
    expect(() => loadProfile(h)).toThrow(/bad3\.yaml: .*description/);
    const y = join(tmp, 'bad4.yaml');
    writeFileSync(y, 'name: [unclosed\n');
    expect(() => loadProfile(y)).toThrow(/bad4\.yaml: not valid YAML/);
    expect(() => loadProfile('no-such-profile')).toThrow(/no such profile file \(known profiles: .*lte/);
  });

  it('a profile with typos gets every problem in one error, each with the key path and a close match', () => {
    const f = join(tmp, 'typos.yaml');
    writeFileSync(
      f,
      [
        'name: typos',
        'descripton: a profile with mistakes',
        'toxics:',
        '  - type: latency',
        '    attributes:',
        '      latncy: 40',
        '      jitter: lots',
        '  - type: mqtt_drop',
        '    strem: upstream',
        '    attributes:',
        '      packet_types: puback',
        '  - type: bandwith',
        '',
      ].join('\n'),
    );
    let err: ProfileError | undefined;
    try {
      loadProfile(f);
    } catch (e) {
      err = e as ProfileError;
    }
    expect(err).toBeInstanceOf(ProfileError);
    expect(err!.message.split('\n')).toEqual([
      `${f}: descripton: unknown key \`descripton\` (did you mean \`description\`?)`,
      `${f}: toxics[0].attributes.latncy: unknown key \`latncy\` (did you mean \`latency\`?)`,
      `${f}: toxics[0].attributes.jitter: expected a duration: milliseconds or a string like "300ms", "2s", "1m", got "lots"`,
      `${f}: toxics[1].strem: unknown key \`strem\` (did you mean \`stream\`?)`,
      `${f}: toxics[1].attributes.packet_types: unknown key \`packet_types\` (did you mean \`packet_type\`?)`,
      expect.stringMatching(
        new RegExp(
          `^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: toxics\\[2\\]\\.type: unknown toxic type "bandwith" \\(did you mean \`bandwidth\`\\?\\); known: `,
        ),
      ),
    ]);
    expect(err!.problems).toHaveLength(6);
  });

  it('createProxy applies a profile by name', async () => {
    const p = await createProxy({ upstream: 'mqtt://127.0.0.1:1', profile: 'lte', seed: 1 });
    try {
      expect(p.toxics().map((t) => t.name)).toEqual(loadProfile('lte').toxics.map((t) => t.name));
    } finally {
      await p.close();
    }
  });
});
