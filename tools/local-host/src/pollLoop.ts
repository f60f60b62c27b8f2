/**
 * Runs `work` until stopped. `work` resolves to whether it found something to do; idle rounds
 * back off from 1 ms to `maxIdleMs`, so an idle host costs little and a busy one never waits.
 */
export function pollLoop(work: () => Promise<boolean>, onError: (error: unknown) => void, maxIdleMs = 50): { stop(): Promise<void> } {
  let running = true;
  let wake: (() => void) | undefined;
  const done = (async () => {
    let idleMs = 1;
    while (running) {
      let busy = false;
      try {
        busy = await work();
      } catch (error) {
        onError(error);
        idleMs = maxIdleMs;
      }
      if (busy) {
        idleMs = 1;
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, idleMs);
      });
      idleMs = Math.min(idleMs * 2, maxIdleMs);
    }
  })();
  return {
    async stop() {
      running = false;
      wake?.();
      await done;
    },
  };
}
