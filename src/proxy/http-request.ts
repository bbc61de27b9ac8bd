/**
 * Request plumbing of the HTTP control API: HttpError (status, message and, for a 400, every bad
 * field), the JSON body reader (size-limited) and the checks that a body is an object whose
 * fields have the right JSON types.
 */
import type { IncomingMessage } from 'node:http';

const BODY_LIMIT = 1 << 20;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Every bad field, for 400 answers: `{ field, message }`, with a close match for a typo. */
    readonly problems?: { field: string; message: string }[],
  ) {
    super(message);
  }
}

export function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return; // drained and discarded so the 413 answer can be read
      size += c.length;
      if (size > BODY_LIMIT) {
        over = true;
        parts.length = 0;
        reject(new HttpError(413, `request body larger than ${BODY_LIMIT} bytes`));
      } else parts.push(c);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (over) return;
      const text = Buffer.concat(parts).toString('utf8');
      if (text.trim() === '') return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch (e) {
        reject(new HttpError(400, `body is not valid JSON: ${(e as Error).message}`));
      }
    });
  });
}

export function obj(body: unknown, what: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new HttpError(400, `${what}: expected a JSON object`);
  return body as Record<string, unknown>;
}

export function field<T>(
  o: Record<string, unknown>,
  key: string,
  type: 'string' | 'boolean' | 'number',
  required: boolean,
): T | undefined {
  const v = o[key];
  if (v === undefined) {
    if (required) throw new HttpError(400, `${key}: missing required field`);
    return undefined;
  }
  if (typeof v !== type) throw new HttpError(400, `${key}: expected a ${type}, got ${JSON.stringify(v)}`);
  return v as T;
}
