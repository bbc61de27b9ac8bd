/**
 * Every problem in a broker config in one pass: schema errors (bad values, unknown keys with a
 * close match) and the rules zod cannot express (TLS listeners need cert and key, ACL topics
 * are MQTT filters, stored password hashes are well-formed, usernames are unique). The
 * semantic rules read the raw data, so they are reported even when the schema fails elsewhere.
 */
import { inDocumentOrder, keyPath, zodProblems, type Problem } from '../../common/zod-problems.ts';
import { UserStore } from '../auth/index.ts';
import { brokerConfigSchema, userSchema } from './schema.ts';

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Why a rule pattern is not a valid MQTT topic filter, or undefined when it is. */
export function filterProblem(f: string): string | undefined {
  const levels = f.split('/');
  for (const [i, l] of levels.entries()) {
    if (l.includes('#') && (l !== '#' || i !== levels.length - 1)) return '"#" must be a whole level and the last one';
    if (l.includes('+') && l !== '+') return '"+" must be a whole level';
  }
  if (f.includes('\u0000')) return 'a topic filter must not contain U+0000';
  return undefined;
}

function listenerProblems(data: Record<string, unknown>): Problem[] {
  const out: Problem[] = [];
  list(data.listeners).forEach((l, n) => {
    if (!isObj(l)) return;
    const p = l.protocol;
    const at = keyPath(['listeners', n]);
    if ((p === 'mqtts' || p === 'wss') && (l.cert === undefined || l.key === undefined))
      out.push({ path: at, message: `a ${p} listener needs cert and key` });
    if ((p === 'mqtt' || p === 'ws') && (l.cert ?? l.key ?? l.ca) !== undefined)
      out.push({ path: at, message: 'cert/key/ca only apply to mqtts and wss listeners' });
    if (l.path !== undefined && typeof p === 'string' && p !== 'ws' && p !== 'wss')
      out.push({ path: `${at}.path`, message: 'only ws and wss listeners have a path' });
  });
  return out;
}

function userProblems(data: Record<string, unknown>): Problem[] {
  const out: Problem[] = [];
  const users = list(data.users);
  const seen = new Map<string, number>();
  users.forEach((u, n) => {
    if (!isObj(u)) return;
    const parsed = userSchema.safeParse(u);
    if (parsed.success) {
      try {
        new UserStore([parsed.data]);
      } catch (e) {
        out.push({ path: keyPath(['users', n]), message: (e as Error).message });
      }
    }
    if (typeof u.username === 'string') {
      const first = seen.get(u.username);
      if (first === undefined) seen.set(u.username, n);
      else
        out.push({
          path: keyPath(['users', n, 'username']),
          message: `"${u.username}" is listed twice (also users[${first}])`,
        });
    }
  });
  return out;
}

function aclProblems(data: Record<string, unknown>): Problem[] {
  const out: Problem[] = [];
  list(data.acl).forEach((r, n) => {
    if (!isObj(r) || typeof r.topic !== 'string' || r.topic === '') return;
    const bad = filterProblem(r.topic);
    if (bad !== undefined)
      out.push({ path: keyPath(['acl', n, 'topic']), message: `${bad}, got ${JSON.stringify(r.topic)}` });
  });
  return out;
}

/** Every problem, ordered by where it sits in the document (top-level key order, then list index). */
export function configProblems(data: unknown): Problem[] {
  const r = brokerConfigSchema.safeParse(data);
  const schema = r.success ? [] : zodProblems(brokerConfigSchema, data, r.error.issues);
  const semantic = isObj(data) ? [...listenerProblems(data), ...userProblems(data), ...aclProblems(data)] : [];
  return inDocumentOrder([...schema, ...semantic], data);
}
