import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  checkObject,
  inDocumentOrder,
  knownKeys,
  problemLine,
  unknownKeyProblems,
  zodProblems,
} from '../../src/common/zod-problems.ts';

const schema = z.strictObject({
  name: z.string(),
  publish: z.strictObject({
    topic: z.string(),
    interval_ms: z.number({ error: 'expected milliseconds' }),
    qos: z.number().int().min(0).max(2).optional(),
  }),
  devices: z.array(z.strictObject({ id: z.string() })).optional(),
});
const problems = (data: unknown) => {
  const r = schema.safeParse(data);
  return r.success ? [] : zodProblems(schema, data, r.error.issues).map(problemLine);
};

describe('zodProblems', () => {
  it('a misspelt key is an unknown key with a close match, not a missing key', () => {
    expect(problems({ name: 'x', publish: { topic: 't', interval: 5 } })).toEqual([
      'publish.interval: unknown key `interval` (did you mean `interval_ms`?)',
    ]);
  });

  it('reports every problem in one pass (unknown keys first), with the key path and the value found', () => {
    expect(
      problems({
        publish: { topic: 't', interval_ms: 'soon', qos: 3 },
        devices: [{ id: 'a' }, { idd: 'b' }],
        extra: 1,
      }),
    ).toEqual([
      'devices[1].idd: unknown key `idd` (did you mean `id`?)',
      'extra: unknown key `extra`',
      'name: expected a string, but it is missing', // zod's generic words rephrased
      'publish.interval_ms: expected milliseconds, got "soon"',
      'publish.qos: expected at most 2, got 3',
    ]);
  });

  it('a missing key with no typo nearby is reported as missing', () => {
    expect(problems({ name: 'x', publish: { topic: 't' } })).toEqual([
      'publish.interval_ms: expected milliseconds, but it is missing',
    ]);
  });

  it('checkObject finds unknown keys of a non-strict object schema, with the same typo rule', () => {
    const attrs = z.object({ latency: z.number(), down_ms: z.number() });
    expect(checkObject(attrs, { latncy: 1, down: 2 }, 'attributes').map(problemLine)).toEqual([
      'attributes.latncy: unknown key `latncy` (did you mean `latency`?)',
      'attributes.down: unknown key `down` (did you mean `down_ms`?)',
    ]);
    expect(checkObject(z.object({}), { x: 1 }).map(problemLine)).toEqual(['x: unknown key `x`']);
    expect(checkObject(attrs, { latency: 1, down_ms: 2 })).toEqual([]);
  });

  it('knows the keys of nested, optional and array schemas; orders problems as the document does', () => {
    expect(knownKeys(schema, ['publish'])).toEqual(['topic', 'interval_ms', 'qos']);
    expect(knownKeys(schema, ['devices', 0])).toEqual(['id']);
    expect(unknownKeyProblems({ latncy: 1, jitter: 2 }, ['latency', 'jitter'], 'attributes')).toEqual([
      { path: 'attributes.latncy', message: 'unknown key `latncy` (did you mean `latency`?)' },
    ]);
    const data = { b: 1, a: [0, 1] };
    expect(
      inDocumentOrder(
        [
          { path: 'a[1]', message: '' },
          { path: 'b', message: '' },
          { path: 'a[0].x', message: '' },
        ],
        data,
      ).map((p) => p.path),
    ).toEqual(['b', 'a[0].x', 'a[1]']);
  });
});
