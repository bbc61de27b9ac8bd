/**
 * A connection's waits for persistence syncs (ConnCore.afterDurable): each wait gets the next
 * sync number, and a sync's completion settles every wait numbered up to it, oldest first (a
 * sync covers everything written before it, so also what earlier syncs were asked to cover).
 * Created on a connection's first wait.
 */
interface Wait {
  seq: number;
  run: () => void;
  failed: (e: unknown) => void;
}

export class SyncWaits {
  private seq = 0;
  private list: Wait[] = [];

  /** Queue a wait; returns the number of the sync to ask for. */
  add(run: () => void, failed: (e: unknown) => void): number {
    const seq = ++this.seq;
    this.list.push({ seq, run, failed });
    return seq;
  }

  /** Sync `seq` completed: run the waits up to it. */
  done(seq: number): void {
    const due = this.take(seq);
    for (let i = 0; i < due.length; i++) due[i].run();
  }

  /** Sync `seq` failed: tell the waits up to it. */
  failed(seq: number, error: unknown): void {
    const due = this.take(seq);
    for (let i = 0; i < due.length; i++) due[i].failed(error);
  }

  private take(seq: number): Wait[] {
    const w = this.list;
    let n = 0;
    while (n < w.length && w[n].seq <= seq) n++;
    return w.splice(0, n);
  }
}
