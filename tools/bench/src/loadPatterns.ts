/** One workflow driven to its end: when it was submitted and when it was seen terminal. */
export interface WorkflowTiming {
  /** `performance.now()` at submit. */
  readonly submittedAt: number;
  /** Submit round trip (HTTP and the log step), in ms. */
  readonly submitMs: number;
  /** Submit to terminal status, in ms. */
  readonly latencyMs: number;
  /** `performance.now()` when seen terminal. */
  readonly finishedAt: number;
}

/** Runs workflow number `index` from submit to terminal status. */
export type RunWorkflow = (index: number) => Promise<WorkflowTiming>;

export interface LoadResult {
  readonly timings: readonly WorkflowTiming[];
  /** Workflows that failed or timed out, with the first error. */
  readonly failures: number;
  readonly firstError?: string;
  /** First submit to last terminal, in ms. */
  readonly elapsedMs: number;
  /** Open loop only: how late the generator submitted, at worst, in ms. */
  readonly maxSubmitLagMs?: number;
}

/**
 * Closed loop: `concurrency` clients, each submitting its next workflow as soon as its previous
 * one is terminal, until `count` workflows have run. Throughput is what the system sustains.
 */
export async function closedLoop(count: number, concurrency: number, run: RunWorkflow, firstIndex = 0): Promise<LoadResult> {
  const timings: WorkflowTiming[] = [];
  const errors: string[] = [];
  let next = 0;
  const started = performance.now();
  const client = async () => {
    while (next < count) {
      const index = firstIndex + next++;
      try {
        timings.push(await run(index));
      } catch (error) {
        errors.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, client));
  return result(timings, errors, started);
}

/**
 * Open loop: submits `count` workflows at `ratePerSecond`, on schedule whether or not earlier
 * ones have finished (a 1 ms timer submits every workflow that is due), then waits for all.
 * Latency is measured from each actual submit; `maxSubmitLagMs` says how far behind schedule
 * the generator fell.
 */
export async function openLoop(count: number, ratePerSecond: number, run: RunWorkflow, firstIndex = 0): Promise<LoadResult> {
  const timings: WorkflowTiming[] = [];
  const errors: string[] = [];
  const running: Promise<void>[] = [];
  const started = performance.now();
  let submitted = 0;
  let maxSubmitLagMs = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (submitted < count && started + (submitted * 1000) / ratePerSecond <= now) {
        maxSubmitLagMs = Math.max(maxSubmitLagMs, now - (started + (submitted * 1000) / ratePerSecond));
        running.push(
          run(firstIndex + submitted++).then(
            (timing) => void timings.push(timing),
            (error: unknown) => void errors.push(error instanceof Error ? error.message : String(error)),
          ),
        );
      }
      if (submitted < count) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  await Promise.all(running);
  return { ...result(timings, errors, started), maxSubmitLagMs };
}

function result(timings: readonly WorkflowTiming[], errors: readonly string[], started: number): LoadResult {
  const finished = timings.reduce((last, { finishedAt }) => Math.max(last, finishedAt), started);
  return {
    timings,
    failures: errors.length,
    ...(errors.length > 0 ? { firstError: errors[0] } : {}),
    elapsedMs: finished - started,
  };
}
