import net from 'node:net';
import { socketStream, TargetError, type ByteStream } from './byte-stream.ts';

/** Opens a plain TCP connection; rejects with a TargetError on refusal or timeout. */
export function dialTcp(host: string, port: number, timeoutMs: number): Promise<ByteStream> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.setNoDelay(true);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new TargetError(`TCP connect to ${host}:${port} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(new TargetError(`cannot reach ${host}:${port}: ${e.message}`));
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socketStream(socket, `tcp ${host}:${port}`));
    });
  });
}
