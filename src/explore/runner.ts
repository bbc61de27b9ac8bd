/**
 * Runs one explored program against a broker through the strict test client and records the
 * history the spec model judges. Clients acknowledge every PUBLISH themselves (acks leave in
 * small batches, so the broker's in-flight window is visible), publish bursts without waiting
 * (within the broker's Receive Maximum), and every wait is bounded.
 */
import { owedCount } from '../model/check.ts';
import type { Program, Step } from './program.ts';
import { newRunContext, now, sleep } from './run-context.ts';
import { connect } from './run-connect.ts';
import { connected, noteClosed } from './run-incoming.ts';
import { disconnect, publish, subscribe, unsubscribe } from './run-steps.ts';
import type { RunOptions, RunResult, RunTarget } from './run-types.ts';

/** Using a client that is not connected (re)connects it: resuming a persistent session (clean false, 5.0 expiry 300). */
export const IMPLICIT_CONNECT = (c: number): Extract<Step, { k: 'connect' }> => ({
  k: 'connect',
  c,
  clean: false,
  persistent: true,
});

export async function runProgram(p: Program, target: RunTarget, o: RunOptions): Promise<RunResult> {
  const ctx = newRunContext(p, target, o);
  try {
    for (const s of p.steps) {
      ctx.stepNo++;
      if (ctx.trouble) break;
      if (s.k === 'pause') {
        await sleep(s.ms);
        continue;
      }
      const c = ctx.clients[s.c];
      if (s.k === 'connect') {
        // A connect step on a connected client reconnects it: normal DISCONNECT first.
        if (connected(ctx, c)) await disconnect(ctx, c, false);
        await connect(ctx, c, s);
        continue;
      }
      if (!connected(ctx, c)) {
        if (s.k === 'disconnect') {
          ctx.notes.push(`skipped: ${c.name} not connected`);
          continue;
        }
        await connect(ctx, c, IMPLICIT_CONNECT(s.c));
        if (!connected(ctx, c)) continue;
      }
      if (s.k === 'publish') await publish(ctx, c, s);
      else if (s.k === 'subscribe') await subscribe(ctx, c, s);
      else if (s.k === 'unsubscribe') await unsubscribe(ctx, c, s);
      else await disconnect(ctx, c, s.abrupt);
    }
    // Settle: wait (bounded) for everything the model says is still owed, then a quiet spell.
    const version = p.version;
    const quiet = ctx.o.settleMs ?? 600;
    const cap = now() + 30_000;
    let seen = ctx.h.length;
    let lastProgress = now();
    for (;;) {
      for (const c of ctx.clients) noteClosed(ctx, c);
      if (ctx.h.length !== seen) {
        seen = ctx.h.length;
        lastProgress = now();
      }
      if (owedCount(ctx.h, { version }, now()) === 0 || now() - lastProgress > quiet || now() > cap) break;
      await sleep(ctx.h.length > 2000 ? 25 : 5);
    }
    await sleep(ctx.o.quietMs ?? 15);
    for (const c of ctx.clients) noteClosed(ctx, c);
    ctx.h.push({ k: 'end', t: now(), settled: true });
    ctx.finished = true;
  } catch (e) {
    ctx.trouble = (e as Error).message;
  } finally {
    ctx.finished = true;
    for (const c of ctx.clients) {
      if (c.ackTimer) clearTimeout(c.ackTimer);
      c.tc?.destroy();
    }
  }
  return {
    history: ctx.h,
    trace: ctx.trace,
    notes: ctx.notes,
    msgStep: ctx.msgStep,
    prefix: ctx.o.prefix,
    ...(ctx.trouble ? { harnessTrouble: ctx.trouble } : {}),
  };
}
