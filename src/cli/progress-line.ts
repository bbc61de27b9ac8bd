/**
 * Progress for long commands: a cli-progress bar on a TTY, else one plain line every 5 s.
 * `update` takes the fraction done and a short status text.
 */
import cliProgress from 'cli-progress';

export interface ProgressSink {
  update(fraction: number, status: string): void;
  stop(): void;
}

export function progressSink(label: string, stream: NodeJS.WriteStream = process.stderr, everyMs = 5000): ProgressSink {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {percentage}% | {status}`, stream, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(1000, 0, { status: '' });
    return {
      update: (f, status) => bar.update(Math.min(1000, Math.round(f * 1000)), { status }),
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  return {
    update: (f, status) => {
      const now = Date.now();
      if (now - last < everyMs) return;
      last = now;
      stream.write(`${label}: ${(f * 100).toFixed(0)}% ${status}\n`);
    },
    stop: () => undefined,
  };
}
