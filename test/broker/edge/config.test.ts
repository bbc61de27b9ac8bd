import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfigFile, parseConfig, validateConfig } from '../../../src/broker/config/index.ts';
import { UserStore } from '../../../src/broker/auth/index.ts';

function problems(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message.split('\n');
  }
  throw new Error('expected a ConfigError');
}

describe('broker config', () => {
  it('loads the shipped example, every key documented there validates', async () => {
    const cfg = loadConfigFile(join(import.meta.dirname, '../../../scenarios/broker.example.yaml'));
    expect(cfg.listeners?.[0]).toMatchObject({ protocol: 'mqtt', port: 1883 });
    expect(cfg.limits?.maxConnections).toBe(10000);
    expect(cfg.capabilities?.topicAliasMaximum).toBe(10);
    const store = new UserStore(cfg.users ?? []);
    expect(await store.check('alice', Buffer.from('secret'))).toBe(true);
    expect(store.scramCredentials('alice')?.iterations).toBe(4096);
  });

  it('names the key path and the bad value', () => {
    const p = problems(() => parseConfig('limits:\n  maxConnections: lots\n', 'broker.yaml'));
    expect(p).toEqual(['broker.yaml: limits.maxConnections: expected a positive integer, got "lots"']);
    const q = problems(() =>
      parseConfig('listeners:\n  - protocol: mqtt\n    port: 70000\n  - protocol: smtp\n', 'b.yaml'),
    );
    expect(q).toContain('b.yaml: listeners[0].port: expected a port number 0..65535 (0 picks a free port), got 70000');
    expect(q).toContain('b.yaml: listeners[1].protocol: expected one of "mqtt", "mqtts", "ws", "wss", got "smtp"');
    const r = problems(() => validateConfig({ capabilities: { maximumQoS: 3, retainAvailable: 'yes' } }, 'x'));
    expect(r).toContain('x: capabilities.maximumQoS: expected a QoS 0, 1 or 2, got 3');
    expect(r).toContain('x: capabilities.retainAvailable: expected true or false, got "yes"');
  });

  it('rejects unknown keys with their path', () => {
    const p = problems(() => parseConfig('limits:\n  maxConections: 5\nfoo: 1\n', 'broker.yaml'));
    expect(p).toEqual([
      'broker.yaml: limits.maxConections: unknown key `maxConections` (did you mean `maxConnections`?)',
      'broker.yaml: foo: unknown key `foo`',
    ]);
  });

  it('checks cross-field rules and stored hashes', () => {
    const p = problems(() =>
      validateConfig({
        listeners: [
          { protocol: 'mqtts', port: 0 },
          { protocol: 'mqtt', path: '/x' },
        ],
        users: [{ username: 'a', password: 'scrypt$3$8$1$AA==$AA==' }, { username: 'a' }],
        acl: [{ topic: 'x', access: 'all' }],
      }),
    );
    expect(p.join('\n')).toMatch(/acl\[0\]\.access: expected one of "read", "write", "readwrite", "deny", got "all"/);
    const q = problems(() =>
      validateConfig({
        listeners: [
          { protocol: 'mqtts', port: 0 },
          { protocol: 'mqtt', path: '/x' },
        ],
        users: [{ username: 'a', password: 'scrypt$3$8$1$AA==$AA==' }, { username: 'a' }],
      }),
    );
    expect(q).toContain('config: listeners[0]: a mqtts listener needs cert and key');
    expect(q).toContain('config: listeners[1].path: only ws and wss listeners have a path');
    expect(q.join('\n')).toMatch(/users\[0\]: user "a": scrypt N must be a power of two/);
    expect(q).toContain('config: users[1].username: "a" is listed twice (also users[0])');
  });

  it("reports a typo'd key, a bad value and a bad ACL filter together, one line each", () => {
    const yaml = [
      'limits:',
      '  maxConections: 5',
      'logLevel: loud',
      'acl:',
      '  - topic: sensors/#/temp',
      '    access: read',
    ].join('\n');
    expect(problems(() => parseConfig(yaml, 'broker.yaml'))).toEqual([
      'broker.yaml: limits.maxConections: unknown key `maxConections` (did you mean `maxConnections`?)',
      'broker.yaml: logLevel: expected one of "debug", "info", "warn", "error", "silent", got "loud"',
      'broker.yaml: acl[0].topic: "#" must be a whole level and the last one, got "sensors/#/temp"',
    ]);
  });

  it('a misspelt required key is an unknown key with a suggestion, not a missing key', () => {
    expect(
      problems(() => validateConfig({ acl: [{ topc: 'a/b', access: 'read' }], users: [{ usrname: 'x' }] }, 'b.yaml')),
    ).toEqual([
      'b.yaml: acl[0].topc: unknown key `topc` (did you mean `topic`?)', // in document order
      'b.yaml: users[0].usrname: unknown key `usrname` (did you mean `username`?)',
    ]);
    expect(problems(() => validateConfig({ acl: [{ access: 'read' }] }, 'b.yaml'))).toEqual([
      'b.yaml: acl[0].topic: expected a string, but it is missing',
    ]);
  });

  it('checks ACL topic patterns are MQTT filters', () => {
    const p = problems(() =>
      validateConfig(
        {
          acl: [
            { topic: 'a/#/b', access: 'read' },
            { topic: 'a+/b', access: 'write' },
            { topic: 'ok/+/%c/#', access: 'read' },
          ],
        },
        'x',
      ),
    );
    expect(p).toEqual([
      'x: acl[0].topic: "#" must be a whole level and the last one, got "a/#/b"',
      'x: acl[1].topic: "+" must be a whole level, got "a+/b"',
    ]);
  });

  it('reports YAML syntax errors with a line, and unreadable files', () => {
    expect(problems(() => parseConfig('limits: [1, 2\n', 'bad.yaml'))[0]).toMatch(/^bad\.yaml: line \d+, column \d+: /);
    expect(problems(() => loadConfigFile('/nonexistent/broker.yaml'))[0]).toMatch(
      /cannot read \/nonexistent\/broker\.yaml/,
    );
  });

  it('makes relative TLS and persistence paths absolute against the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    try {
      writeFileSync(
        join(dir, 'b.yaml'),
        'listeners:\n  - protocol: wss\n    cert: c.pem\n    key: k.pem\npersistence: file:data\n',
      );
      const cfg = loadConfigFile(join(dir, 'b.yaml'));
      expect(cfg.listeners?.[0].cert).toBe(join(dir, 'c.pem'));
      expect(cfg.persistence).toBe(`file:${join(dir, 'data')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
