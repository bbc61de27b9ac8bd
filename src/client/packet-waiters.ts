import type { Packet } from '../codec/packet-types.ts';

interface Waiter {
  test: (p: Packet) => boolean;
  label: string;
  resolve(p: Packet): void;
  reject(e: Error): void;
}

/** The steps waiting for a packet a TestClient has yet to receive, or for its close, each bounded in time. */
export class PacketWaiters {
  private waiters: Waiter[] = [];
  private closeWaiters: Array<() => void> = [];

  /** A packet that arrives within `timeoutMs` and passes `test`; rejects with `onTimeout()` or at the close. */
  wait(test: (p: Packet) => boolean, label: string, timeoutMs: number, onTimeout: () => Error): Promise<Packet> {
    return new Promise<Packet>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(onTimeout());
      }, timeoutMs);
      const waiter: Waiter = {
        test,
        label,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Hands `p` to the first waiter it passes; false when nobody waits for it. */
  offer(p: Packet): boolean {
    const w = this.waiters.find((x) => x.test(p));
    if (!w) return false;
    this.waiters = this.waiters.filter((x) => x !== w);
    w.resolve(p);
    return true;
  }

  /** True when the connection closes within `ms`, false when it is still open then. */
  untilClosed(ms: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.closeWaiters = this.closeWaiters.filter((w) => w !== done);
        resolve(false);
      }, ms);
      const done = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.closeWaiters.push(done);
    });
  }

  /** The connection is gone: rejects every packet waiter with the error for what it waited for. */
  connectionClosed(error: (label: string) => Error): void {
    for (const w of this.waiters.splice(0)) w.reject(error(w.label));
    for (const c of this.closeWaiters.splice(0)) c();
  }
}
