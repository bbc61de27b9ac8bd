/**
 * HTTP control API compatible with Toxiproxy's REST API (same paths and JSON field names),
 * plus MQTT toxic types and a few read-only extras (/stats, /links, /faults).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { formatHostPort, parseListen } from './address.ts';
import { HttpError, field, obj, readBody } from './http-request.ts';
import { createProxy, type Proxy, type ProxyOptions } from './proxy.ts';
import { badRequest, checkProxyFields, proxyFieldProblems, proxyJson } from './proxy-json.ts';
import { ToxicError } from './toxics/registry.ts';
import type { ToxicInput, ToxicSpec } from './types.ts';

export const API_VERSION = '2.12.0-mqtt-harness';

export interface ControlApi {
  readonly port: number;
  readonly url: string;
  readonly proxies: Map<string, Proxy>;
  close(): Promise<void>;
}

export interface ControlApiOptions {
  /** Default "127.0.0.1:0". */
  listen?: string;
  proxies?: Proxy[];
  /** Seed for proxies created over HTTP that do not name one. */
  seed?: number;
}

export async function startControlApi(opts: ControlApiOptions = {}): Promise<ControlApi> {
  const proxies = new Map<string, Proxy>((opts.proxies ?? []).map((p) => [p.name, p]));

  async function makeProxy(o: Record<string, unknown>, keep?: ToxicSpec[]): Promise<Proxy> {
    checkProxyFields(o, ['name', 'upstream']);
    const name = field<string>(o, 'name', 'string', true)!;
    const upstream = field<string>(o, 'upstream', 'string', true)!;
    const listen = field<string>(o, 'listen', 'string', false) ?? '127.0.0.1:0';
    const enabled = field<boolean>(o, 'enabled', 'boolean', false) ?? true;
    const seed = field<number>(o, 'seed', 'number', false) ?? opts.seed;
    const profile = field<string>(o, 'profile', 'string', false);
    const mqtt = field<boolean>(o, 'mqtt', 'boolean', false);
    const po: ProxyOptions = {
      name,
      upstream,
      listen,
      ...(seed !== undefined ? { seed } : {}),
      ...(profile !== undefined ? { profile } : {}),
      ...(mqtt !== undefined ? { mqtt } : {}),
      ...(keep ? { toxics: keep } : {}),
    };
    let p: Proxy;
    try {
      p = await createProxy(po);
    } catch (e) {
      throw new HttpError(400, (e as Error).message);
    }
    if (!enabled) await p.setEnabled(false);
    return p;
  }

  function getProxy(name: string): Proxy {
    const p = proxies.get(name);
    if (p === undefined) throw new HttpError(404, `proxy not found: ${name}`);
    return p;
  }

  function toxicOp<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof ToxicError) {
        const status = /already exists/.test(e.message) ? 409 : /^no toxic/.test(e.message) ? 404 : 400;
        throw new HttpError(
          status,
          e.message,
          status === 400 ? e.problems.map((p) => ({ field: p.path, message: p.message })) : undefined,
        );
      }
      throw e;
    }
  }

  async function route(method: string, path: string[], req: IncomingMessage): Promise<[number, unknown]> {
    const [a, name, b, toxic] = path;
    if (method === 'GET' && a === 'version' && path.length === 1) return [200, { version: API_VERSION }];
    if (method === 'POST' && a === 'reset' && path.length === 1) {
      for (const p of proxies.values()) await p.reset();
      return [204, undefined];
    }
    if (a === 'populate' && method === 'POST' && path.length === 1) {
      const list = await readBody(req);
      if (!Array.isArray(list)) throw new HttpError(400, 'populate: expected a JSON array of proxies');
      const out: unknown[] = [];
      const bad = list.flatMap((item, i) => proxyFieldProblems(obj(item, `[${i}]`), ['name', 'upstream'], `[${i}]`));
      if (bad.length > 0) throw badRequest(bad); // every problem, before any proxy changes
      for (const [i, item] of list.entries()) {
        const o = obj(item, `[${i}]`);
        const n = field<string>(o, 'name', 'string', true)!;
        await proxies.get(n)?.close();
        const p = await makeProxy(o);
        proxies.set(n, p);
        out.push(proxyJson(p));
      }
      return [201, { proxies: out }];
    }
    if (a !== 'proxies') throw new HttpError(404, `no such endpoint: /${path.join('/')}`);
    if (name === undefined) {
      if (method === 'GET') return [200, Object.fromEntries([...proxies].map(([n, p]) => [n, proxyJson(p)]))];
      if (method === 'POST') {
        const o = obj(await readBody(req), 'proxy');
        checkProxyFields(o, ['name', 'upstream']);
        const n = field<string>(o, 'name', 'string', true)!;
        if (proxies.has(n)) throw new HttpError(409, `proxy already exists: ${n}`);
        const p = await makeProxy(o);
        proxies.set(n, p);
        return [201, proxyJson(p)];
      }
    } else if (b === undefined) {
      const p = getProxy(name);
      if (method === 'GET') return [200, proxyJson(p)];
      if (method === 'DELETE') {
        proxies.delete(name);
        await p.close();
        return [204, undefined];
      }
      if (method === 'POST' || method === 'PATCH') {
        const o = obj(await readBody(req), 'proxy');
        checkProxyFields(o, []);
        const listen = field<string>(o, 'listen', 'string', false);
        const upstream = field<string>(o, 'upstream', 'string', false);
        const enabled = field<boolean>(o, 'enabled', 'boolean', false);
        if (listen !== undefined) parseListen(listen);
        let q = p;
        const moved = listen !== undefined && listen !== formatHostPort(p.host, p.port);
        if (moved || (upstream !== undefined && upstream !== p.upstream)) {
          await p.close();
          q = await makeProxy(
            { name, upstream: upstream ?? p.upstream, listen: listen ?? formatHostPort(p.host, p.port), seed: p.seed },
            p.toxics(),
          );
          proxies.set(name, q);
        }
        if (enabled !== undefined) await q.setEnabled(enabled);
        return [200, proxyJson(q)];
      }
    } else if (b === 'toxics') {
      const p = getProxy(name);
      if (toxic === undefined) {
        if (method === 'GET') return [200, p.toxics()];
        if (method === 'POST') {
          const o = obj(await readBody(req), 'toxic');
          return [200, toxicOp(() => p.addToxic(o as unknown as ToxicInput))];
        }
      } else {
        if (method === 'GET') {
          const t = p.toxic(toxic);
          if (t === undefined) throw new HttpError(404, `toxic not found: ${toxic}`);
          return [200, t];
        }
        if (method === 'DELETE') {
          toxicOp(() => p.removeToxic(toxic));
          return [204, undefined];
        }
        if (method === 'POST' || method === 'PATCH') {
          const o = obj(await readBody(req), 'toxic');
          return [200, toxicOp(() => p.updateToxic(toxic, o as Partial<ToxicInput>))];
        }
      }
    } else if (method === 'GET' && path.length === 3) {
      const p = getProxy(name);
      if (b === 'stats') return [200, p.stats()];
      if (b === 'links') return [200, p.links()];
      if (b === 'faults') return [200, p.faults()];
    }
    throw new HttpError(405, `${method} not supported on /${path.join('/')}`);
  }

  const server = createServer((req, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
    route(req.method ?? 'GET', path, req)
      .then(([status, body]) => {
        res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
        res.end(body === undefined ? undefined : JSON.stringify(body));
      })
      .catch((e: unknown) => {
        const status = e instanceof HttpError ? e.status : 500;
        const message = e instanceof Error ? e.message : String(e);
        if (!res.headersSent)
          res.writeHead(status, {
            'content-type': 'application/json',
            ...(status === 413 ? { connection: 'close' } : {}),
          });
        const problems = e instanceof HttpError && e.problems !== undefined ? { problems: e.problems } : {};
        res.end(JSON.stringify({ error: message, status, ...problems }));
      });
  });
  const l = parseListen(opts.listen ?? '127.0.0.1:0');
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) =>
      reject(new Error(`control API: cannot listen on ${formatHostPort(l.host, l.port)}: ${e.message}`)),
    );
    server.listen({ host: l.host, port: l.port }, resolve);
  });
  const addr = server.address();
  const port = addr !== null && typeof addr !== 'string' ? addr.port : l.port;
  return {
    port,
    url: `http://${formatHostPort(l.host, port)}`,
    proxies,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      for (const p of proxies.values()) await p.close();
    },
  };
}
