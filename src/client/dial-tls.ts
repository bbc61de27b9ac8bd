import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import { socketStream, TargetError, type ByteStream } from './byte-stream.ts';

export interface TlsTrust {
  caFile?: string;
  insecure?: boolean;
}

/** Reads the CA file once per call; a missing file is a clear TargetError. */
export function loadCa(caFile: string | undefined): Buffer | undefined {
  if (!caFile) return undefined;
  try {
    return readFileSync(caFile);
  } catch (e) {
    throw new TargetError(`cannot read CA file ${caFile}: ${(e as Error).message}`);
  }
}

/** Opens a TLS connection (SNI = host unless it is an IP address). */
export function dialTls(host: string, port: number, timeoutMs: number, trust: TlsTrust): Promise<ByteStream> {
  const ca = loadCa(trust.caFile);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host,
      port,
      ca,
      rejectUnauthorized: !trust.insecure,
      servername: /^[\d.]+$|:/.test(host) ? undefined : host,
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new TargetError(`TLS connect to ${host}:${port} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(new TargetError(`TLS connection to ${host}:${port} failed: ${e.message}`));
    });
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      socket.setNoDelay(true);
      resolve(socketStream(socket, `tls ${host}:${port}`));
    });
  });
}
