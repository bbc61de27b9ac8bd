import { describe, expect, it } from 'vitest';
import {
  createAclAuthorizer,
  createUserAuthenticator,
  hashPassword,
  makeUserRecord,
  parsePasswordHash,
  patternCoversFilter,
  patternMatchesTopic,
  UserStore,
  verifyPassword,
} from '../../../src/broker/auth/index.ts';
import type { ClientInfo } from '../../../src/broker/hooks.ts';

const fast = { N: 1024, r: 8, p: 1 };
const who = (clientId: string, username?: string): ClientInfo => ({
  clientId,
  username,
  protocolLevel: 4,
  transport: 'tcp',
});

describe('password hashing', () => {
  it('hashes with scrypt and verifies only the right password', async () => {
    const h = await hashPassword('s3cret', fast);
    expect(h).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword('s3cret', h)).toBe(true);
    expect(await verifyPassword(Buffer.from('s3cret'), h)).toBe(true);
    expect(await verifyPassword('s3cret!', h)).toBe(false);
    expect(await hashPassword('s3cret', fast)).not.toBe(h); // salted
  });
  it('explains malformed hashes', () => {
    expect(() => parsePasswordHash('plain')).toThrow(/scrypt\$N\$r\$p\$salt\$hash/);
    expect(() => parsePasswordHash('scrypt$1000$8$1$AAAA$AAAA')).toThrow(/power of two/);
    expect(() => parsePasswordHash('scrypt$1024$x$1$AAAA$AAAA')).toThrow(/r must be a positive integer/);
  });
});

describe('topic matching for rules', () => {
  it('matches topics', () => {
    expect(patternMatchesTopic('a/+/c', 'a/b/c')).toBe(true);
    expect(patternMatchesTopic('a/#', 'a')).toBe(true);
    expect(patternMatchesTopic('a/#', 'a/b/c')).toBe(true);
    expect(patternMatchesTopic('a/+', 'a/b/c')).toBe(false);
    expect(patternMatchesTopic('#', '$SYS/x')).toBe(false);
    expect(patternMatchesTopic('$SYS/#', '$SYS/x')).toBe(true);
  });
  it('covers filters only when every matching topic is allowed', () => {
    expect(patternCoversFilter('a/#', 'a/+/c')).toBe(true);
    expect(patternCoversFilter('a/#', 'a/#')).toBe(true);
    expect(patternCoversFilter('a/#', 'a')).toBe(true);
    expect(patternCoversFilter('a/+/c', 'a/+/c')).toBe(true);
    expect(patternCoversFilter('a/+', 'a/#')).toBe(false);
    expect(patternCoversFilter('a/b', 'a/+')).toBe(false);
    expect(patternCoversFilter('a/+/c', 'a/+/#')).toBe(false);
    expect(patternCoversFilter('#', '#')).toBe(true);
    expect(patternCoversFilter('#', '$SYS/#')).toBe(false);
    expect(patternCoversFilter('+/x', 'a/x')).toBe(true);
  });
});

describe('ACL authorizer', () => {
  const acl = createAclAuthorizer([
    { topic: 'devices/%c/#', access: 'readwrite' },
    { topic: 'users/%u/inbox', access: 'read' },
    { topic: 'public/#', access: 'read' },
    { topic: 'alerts', access: 'write', user: 'alice' },
  ]);
  it('substitutes %c and %u', () => {
    expect(acl.authorize(who('dev1'), 'write', 'devices/dev1/temp')).toBe(true);
    expect(acl.authorize(who('dev1'), 'write', 'devices/dev2/temp')).toBe(false);
    expect(acl.authorize(who('x', 'bob'), 'read', 'users/bob/inbox')).toBe(true);
    expect(acl.authorize(who('x', 'bob'), 'write', 'users/bob/inbox')).toBe(false);
    expect(acl.authorize(who('x'), 'read', 'users/bob/inbox')).toBe(false); // no user name: %u rule is off
  });
  it('refuses substitution values that would widen a rule', () => {
    expect(acl.authorize(who('#'), 'write', 'devices/anything/x')).toBe(false);
    expect(acl.authorize(who('a/b'), 'write', 'devices/a/b/x')).toBe(false);
  });
  it('checks subscription filters by coverage, including shared subscriptions', () => {
    expect(acl.authorize(who('d'), 'read', 'public/+/news')).toBe(true);
    expect(acl.authorize(who('d'), 'read', '#')).toBe(false);
    expect(acl.authorize(who('d'), 'read', 'devices/d/#')).toBe(true);
    expect(acl.authorize(who('d'), 'read', 'devices/+/#')).toBe(false);
    expect(acl.authorize(who('d'), 'read', '$share/g/public/#')).toBe(true);
  });
  it('per-user rules and deny by default', () => {
    expect(acl.authorize(who('x', 'alice'), 'write', 'alerts')).toBe(true);
    expect(acl.authorize(who('x', 'bob'), 'write', 'alerts')).toBe(false);
    expect(acl.authorize(who('x', 'alice'), 'write', 'other')).toBe(false);
    expect(createAclAuthorizer([]).authorize(who('x'), 'read', 'a')).toBe(false);
  });
});

describe('user authenticator', () => {
  it('accepts configured users with the right password only', async () => {
    const store = new UserStore([await makeUserRecord('alice', 'pw', { scrypt: fast, scramIterations: 1000 })]);
    const auth = createUserAuthenticator(store, { allowAnonymous: false });
    expect(await auth.authenticate(who('c', 'alice'), Buffer.from('pw'))).toEqual({ ok: true });
    expect(await auth.authenticate(who('c', 'alice'), Buffer.from('no'))).toMatchObject({
      ok: false,
      reasonCode: 0x86,
    });
    expect(await auth.authenticate(who('c', 'eve'), Buffer.from('pw'))).toMatchObject({ ok: false, reasonCode: 0x86 });
    expect(await auth.authenticate(who('c'), undefined)).toMatchObject({ ok: false, reasonCode: 0x87 });
    const open = createUserAuthenticator(store, { allowAnonymous: true });
    expect(await open.authenticate(who('c'), undefined)).toEqual({ ok: true });
    expect(store.scramCredentials('alice')?.iterations).toBe(1000);
  });
  it('names the user with a broken hash', () => {
    expect(() => new UserStore([{ username: 'bob', password: 'oops' }])).toThrow(/user "bob"/);
  });
});
