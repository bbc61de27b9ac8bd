import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { startControlApi, type ControlApi } from '../../src/proxy/index.ts';
import { withTimeout } from '../../src/common/index.ts';
import { startEcho } from './helpers.ts';

let api: ControlApi;
let echo: Awaited<ReturnType<typeof startEcho>>;

beforeAll(async () => {
  echo = await startEcho();
  api = await startControlApi({ seed: 5 });
});
afterAll(async () => {
  await api?.close();
  await echo?.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read answer fields freely; a wrong one fails the expectation
async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const r = await withTimeout(
    fetch(`${api.url}${path}`, {
      method,
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    }),
    5000,
    `${method} ${path}`,
  );
  const text = await r.text();
  return { status: r.status, json: text === '' ? undefined : JSON.parse(text) };
}

describe('Toxiproxy-compatible HTTP API', () => {
  it('GET /version', async () => {
    const r = await call('GET', '/version');
    expect(r.status).toBe(200);
    expect(typeof r.json.version).toBe('string');
  });

  it('creates a proxy, adds / reads / updates / deletes toxics, resets', async () => {
    const created = await call('POST', '/proxies', {
      name: 'echo',
      listen: '127.0.0.1:0',
      upstream: `127.0.0.1:${echo.port}`,
      enabled: true,
      mqtt: false,
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'echo', upstream: `127.0.0.1:${echo.port}`, enabled: true, toxics: [] });
    expect(created.json.listen).toMatch(/^127\.0\.0\.1:\d+$/);
    expect((await call('POST', '/proxies', { name: 'echo', upstream: 'x:1' })).status).toBe(409);

    const all = await call('GET', '/proxies');
    expect(Object.keys(all.json)).toEqual(['echo']);

    const t = await call('POST', '/proxies/echo/toxics', {
      name: 'lat',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: 100, jitter: 0 },
    });
    expect(t.status).toBe(200);
    expect(t.json).toEqual({
      name: 'lat',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: 100, jitter: 0 },
    });
    const m = await call('POST', '/proxies/echo/toxics', {
      type: 'mqtt_drop',
      stream: 'upstream',
      attributes: { packet_type: 'puback', nth: 1, for_ms: 10000 },
    });
    expect(m.json.name).toBe('mqtt_drop_upstream');
    expect((await call('GET', '/proxies/echo/toxics')).json.map((x: { name: string }) => x.name)).toEqual([
      'lat',
      'mqtt_drop_upstream',
    ]);
    expect((await call('GET', '/proxies/echo/toxics/lat')).json.attributes.latency).toBe(100);

    const u = await call('POST', '/proxies/echo/toxics/lat', { attributes: { latency: 250 } });
    expect(u.json.attributes).toEqual({ latency: 250, jitter: 0 });

    // traffic goes through with the toxic
    const port = Number(created.json.listen.split(':')[1]);
    const s = connect(port, '127.0.0.1');
    const got = await withTimeout(
      new Promise<string>((r) => {
        s.once('data', (d) => r(d.toString()));
        s.write('hi');
      }),
      3000,
      'echo through API-made proxy',
    );
    s.destroy();
    expect(got).toBe('hi');
    const stats = await call('GET', '/proxies/echo/stats');
    expect(stats.json.connections).toBe(1);

    expect((await call('DELETE', '/proxies/echo/toxics/lat')).status).toBe(204);
    expect((await call('GET', '/proxies/echo/toxics/lat')).status).toBe(404);
    expect((await call('POST', '/reset')).status).toBe(204);
    expect((await call('GET', '/proxies/echo')).json.toxics).toEqual([]);

    const dis = await call('POST', '/proxies/echo', { enabled: false });
    expect(dis.json.enabled).toBe(false);
    const refused = await withTimeout(
      new Promise<string>((r) =>
        connect(port, '127.0.0.1').once('error', (e: NodeJS.ErrnoException) => r(e.code ?? '')),
      ),
      3000,
      'refused',
    );
    expect(refused).toBe('ECONNREFUSED');
    expect((await call('POST', '/proxies/echo', { enabled: true })).json.enabled).toBe(true);
    expect((await call('DELETE', '/proxies/echo')).status).toBe(204);
    expect((await call('GET', '/proxies/echo')).status).toBe(404);
  });

  it('answers 400 naming the bad field', async () => {
    await call('POST', '/proxies', { name: 'p2', upstream: `127.0.0.1:${echo.port}` });
    const bad = await call('POST', '/proxies/p2/toxics', { type: 'latency', attributes: { latency: 'slow' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/attributes\.latency/);
    const badType = await call('POST', '/proxies/p2/toxics', { type: 'mqtt_drop', attributes: { nth: 0 } });
    expect(badType.json.error).toMatch(/attributes\.nth/);
    const notJson = await call('POST', '/proxies/p2/toxics', '{nope');
    expect(notJson.status).toBe(400);
    expect(notJson.json.error).toMatch(/not valid JSON/);
    const noName = await call('POST', '/proxies', { upstream: 'x:1' });
    expect(noName).toMatchObject({ status: 400, json: { error: 'name: missing required field' } });
    const wrongType = await call('POST', '/proxies', { name: 'z', upstream: 'x:1', enabled: 'yes' });
    expect(wrongType.json.error).toMatch(/^enabled: expected a boolean/);
    const big = await call('POST', '/proxies/p2/toxics', JSON.stringify({ type: 'latency', pad: 'x'.repeat(2 << 20) }));
    expect(big.status).toBe(413);
    expect((await call('GET', '/nothing')).status).toBe(404);
  });

  it('answers 400 on unknown toxic attributes, naming every one with a close match (as Toxiproxy rejects malformed toxics)', async () => {
    await call('POST', '/proxies', { name: 'p3', upstream: `127.0.0.1:${echo.port}` });
    const lat = await call('POST', '/proxies/p3/toxics', { type: 'latency', attributes: { latncy: 100 } });
    expect(lat.status).toBe(400);
    expect(lat.json.problems).toEqual([
      { field: 'toxic.attributes.latncy', message: 'unknown key `latncy` (did you mean `latency`?)' },
    ]);
    expect(lat.json.error).toContain('did you mean `latency`?');
    const drop = await call('POST', '/proxies/p3/toxics', {
      type: 'mqtt_drop',
      strem: 'upstream',
      attributes: { packet_types: ['puback'], nth: 0 },
    });
    expect(drop.status).toBe(400);
    expect(drop.json.problems).toEqual([
      { field: 'toxic.strem', message: 'unknown key `strem` (did you mean `stream`?)' },
      { field: 'toxic.attributes.packet_types', message: 'unknown key `packet_types` (did you mean `packet_type`?)' },
      { field: 'toxic.attributes.nth', message: expect.stringMatching(/, got 0$/) },
    ]);
    const pkt = await call('POST', '/proxies/p3/toxics', {
      type: 'mqtt_drop',
      attributes: { packet_type: ['puback', 'pubrell'], probability: 2 },
    });
    expect(pkt.json.problems).toEqual([
      {
        field: 'toxic.attributes.packet_type[1]',
        message: expect.stringMatching(
          /^unknown packet type \(did you mean `pubrel`\?\); expected one of .*, got "pubrell"$/,
        ),
      },
      { field: 'toxic.attributes.probability', message: 'expected at most 1, got 2' },
    ]);
    const type = await call('POST', '/proxies/p3/toxics', { type: 'latncy', attributes: { latency: 1 } });
    expect(type.status).toBe(400);
    expect(type.json.problems[0]).toMatchObject({
      field: 'toxic.type',
      message: expect.stringMatching(/^unknown toxic type "latncy" \(did you mean `latency`\?\)/),
    });
    const upd = await call('POST', '/proxies/p3/toxics', { name: 'l', type: 'latency', attributes: { latency: 5 } });
    expect(upd.status).toBe(200);
    const badUpd = await call('POST', '/proxies/p3/toxics/l', { attributes: { jiter: 5 } });
    expect(badUpd.status).toBe(400);
    expect(badUpd.json.problems[0].message).toBe('unknown key `jiter` (did you mean `jitter`?)');
    expect((await call('GET', '/proxies/p3/toxics')).json).toEqual([upd.json]); // nothing half-applied
  });

  it('answers 400 on unknown or mistyped proxy fields, all at once', async () => {
    const r = await call('POST', '/proxies', { name: 'p4', upstrem: 'x:1', enabled: 'yes' });
    expect(r.status).toBe(400);
    expect(r.json.problems).toEqual([
      { field: 'upstrem', message: 'unknown key `upstrem` (did you mean `upstream`?)' }, // not also "upstream missing"
      { field: 'enabled', message: 'expected a boolean, got "yes"' },
    ]);
    const pop = await call('POST', '/populate', [{ name: 'q1', upstream: 'x:1', lisen: ':0' }, { upstream: 'x:1' }]);
    expect(pop.status).toBe(400);
    expect(pop.json.problems.map((p: { field: string }) => p.field)).toEqual(['[0].lisen', '[1].name']);
    expect((await call('GET', '/proxies/q1')).status).toBe(404);
  });
});
