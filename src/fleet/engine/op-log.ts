/**
 * The history of one slice of the fleet, written as it happens: JSON lines in the checkers'
 * Op format (times in epoch ms, indices local to the slice; the merge renumbers), with counts
 * kept on the side so nothing big stays in memory.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { OpF, OpType, OpValue } from '../../checker/index.ts';

export class OpLog {
  private index = 0;
  private buf: string[] = [];
  private readonly out: WriteStream;
  readonly counts = {
    published: 0,
    acknowledged: 0,
    pubFailed: 0,
    pubUnknown: 0,
    received: 0,
    drops: 0,
    connects: 0,
    connectFailures: 0,
    faults: 0,
  };
  closed = false;

  constructor(file: string) {
    this.out = createWriteStream(file);
  }

  get size(): number {
    return this.index;
  }

  op(time: number, process: string, type: OpType, f: OpF, value: OpValue): void {
    if (this.closed) return;
    this.buf.push(
      JSON.stringify({ index: this.index++, time: Math.round(time * 1000) / 1000, process, type, f, value }),
    );
    if (this.buf.length >= 2000) this.flush();
    const c = this.counts;
    if (f === 'publish') {
      if (type === 'invoke') c.published++;
      else if (type === 'ok') c.acknowledged++;
      else if (type === 'fail') c.pubFailed++;
      else c.pubUnknown++;
    } else if (f === 'receive') c.received++;
    else if (f === 'drop') c.drops++;
    else if (f === 'connect' && type === 'ok') c.connects++;
    else if (f === 'connect' && type !== 'invoke') c.connectFailures++;
    else if (f === 'fault') c.faults++;
  }

  private flush(): void {
    if (this.buf.length === 0) return;
    this.out.write(this.buf.join('\n') + '\n');
    this.buf = [];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    await new Promise<void>((resolve, reject) => this.out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  }
}
