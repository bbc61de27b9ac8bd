import WebSocket from 'ws';
import { TargetError, type ByteStream } from './byte-stream.ts';
import { loadCa, type TlsTrust } from './dial-tls.ts';

/**
 * Opens a WebSocket with subprotocol "mqtt" (MQTT 5.0 6.0 / 3.1.1 6.0). Each write is one
 * binary message; received messages are handed on as a byte stream, since an MQTT packet
 * may span messages.
 */
export function dialWs(url: string, timeoutMs: number, trust: TlsTrust): Promise<ByteStream> {
  const ca = url.startsWith('wss:') ? loadCa(trust.caFile) : undefined;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ['mqtt'], {
      handshakeTimeout: timeoutMs,
      ca,
      rejectUnauthorized: !trust.insecure,
      perMessageDeflate: false,
    });
    ws.binaryType = 'nodebuffer';
    let opened = false;
    let closeCb: ((e?: Error) => void) | undefined;
    let closed = false;
    let lastError: Error | undefined;
    const dataCbs: Array<(b: Buffer) => void> = [];
    const pending: Buffer[] = [];
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      const b = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      if (dataCbs.length === 0) pending.push(b);
      else for (const cb of dataCbs) cb(b);
    });
    ws.on('error', (e) => {
      lastError = e;
      if (!opened) reject(new TargetError(`WebSocket connection to ${url} failed: ${e.message}`));
    });
    ws.on('close', () => {
      closed = true;
      if (!opened) reject(new TargetError(`WebSocket to ${url} closed during handshake`));
      closeCb?.(lastError);
    });
    ws.on('open', () => {
      opened = true;
      if (ws.protocol !== 'mqtt') {
        ws.terminate();
        reject(new TargetError(`WebSocket server at ${url} did not select subprotocol "mqtt" (got "${ws.protocol}")`));
        return;
      }
      resolve({
        description: `ws ${url}`,
        write: (b) => { if (ws.readyState === WebSocket.OPEN) ws.send(b, { binary: true }); },
        writeText: (t) => { if (ws.readyState === WebSocket.OPEN) ws.send(t, { binary: false }); },
        end: () => { if (ws.readyState === WebSocket.OPEN) ws.close(1000); },
        destroy: () => ws.terminate(),
        onData: (cb) => {
          dataCbs.push(cb);
          for (const b of pending.splice(0)) cb(b);
        },
        onClose: (cb) => {
          closeCb = cb;
          if (closed) cb(lastError);
        },
      });
    });
  });
}
