/** A running poll loop. */
export interface PollLoop {
  /** Ends the idle wait now: there may be work. */
  wake(): void;
  stop(): Promise<void>;
}

/**
 * Runs `work` until stopped. `work` resolves to whether it found something to do; idle rounds
 * back off from `minIdleMs` (default 1) to `maxIdleMs` (default 50), so an idle host costs little
 * and a busy one never waits; `wake()` cuts an idle wait short.
 */
export function pollLoop(work: () => Promise<boolean>, onError: (error: unknown) => void, maxIdleMs = 50, minIdleMs = 1): PollLoop {
  let running = true;
  let wake: (() => void) | undefined;
  let woken = false;
  const done = (async () => {
    let idleMs = minIdleMs;
    while (running) {
      let busy = false;
      woken = false;
      try {
        busy = await work();
      } catch (error) {
        onError(error);
        idleMs = maxIdleMs;
      }
      if (busy || woken) {
        idleMs = minIdleMs;
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, idleMs);
      });
      wake = undefined;
      idleMs = Math.min(idleMs * 2, maxIdleMs);
    }
  })();
  return {
    wake() {
      woken = true;
      wake?.();
    },
    async stop() {
      running = false;
      wake?.();
      await done;
    },
  };
}
