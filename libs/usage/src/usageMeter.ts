import { AsyncLocalStorage } from 'node:async_hooks';
import { UsageTally, type StepUsage } from './stepUsage';
import type { UsageStore } from './usageStore';

const invocationTally = new AsyncLocalStorage<UsageTally>();

/** The tally of the invocation this code runs in, if it is being measured. */
export const currentUsageTally = (): UsageTally | undefined => invocationTally.getStore();

/** What the trigger knows of an invocation before it runs. */
export interface MeteredInvocation {
  readonly step: string;
  /** Known from the trigger (a step message); else taken from the result with `commandIdOf`. */
  readonly commandId?: string;
  /** Messages the trigger delivered: 1 for a queue trigger, 0 for HTTP. */
  readonly messagesReceived: number;
}

export interface UsageMeterOptions {
  readonly now: () => Date;
  readonly newId: () => string;
  /** The longest a record waits in memory before it is written, in ms. Default 1000. */
  readonly flushIntervalMs?: number;
  /** A flush starts at once when this many records wait. Default 256. */
  readonly maxBatch?: number;
  /** Milliseconds since an arbitrary origin. Default `performance.now`. */
  readonly elapsed?: () => number;
  /** Told when a batch could not be written (its records are then dropped). Default: logged to stderr. */
  readonly onFlushError?: (error: unknown, dropped: number) => void;
}

/**
 * Measures step invocations and writes one usage record for each, in batches: the metered ports
 * (`meteredEventStore`, `meteredMessageSender`, a Cosmos DB request-charge meter) add to the
 * tally of the invocation they run in, and the record waits in memory until the next flush (every
 * `flushIntervalMs`, at `maxBatch` records, and on `close`), which writes the batch with one
 * `UsageStore.append`. The meter never fails an invocation and adds no write to it: a crash
 * loses at most the records not flushed yet, never anything of a command.
 */
export class UsageMeter {
  private buffered: StepUsage[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;
  private readonly elapsed: () => number;
  private readonly onFlushError: (error: unknown, dropped: number) => void;

  constructor(
    private readonly store: UsageStore,
    private readonly options: UsageMeterOptions,
  ) {
    this.flushIntervalMs = options.flushIntervalMs ?? 1000;
    this.maxBatch = options.maxBatch ?? 256;
    this.elapsed = options.elapsed ?? (() => performance.now());
    this.onFlushError =
      options.onFlushError ?? ((error, dropped) => console.error(`Usage meter: ${dropped} usage records could not be written`, error));
  }

  /** Records waiting to be written. */
  get pending(): number {
    return this.buffered.length;
  }

  /**
   * Runs one invocation under a fresh tally and records what it used, whether it succeeded or
   * threw. The command id comes from the trigger or, failing that, from the result; an invocation
   * that names no command is not recorded.
   */
  async measure<Result>(invocation: MeteredInvocation, run: () => Promise<Result>, commandIdOf?: (result: Result) => string | undefined): Promise<Result> {
    const tally = new UsageTally();
    const startedAt = this.options.now().toISOString();
    const started = this.elapsed();
    const record = (outcome: StepUsage['outcome'], commandId: string | undefined) => {
      if (commandId === undefined) return;
      this.buffer({
        invocationId: this.options.newId(),
        commandId,
        step: invocation.step,
        startedAt,
        outcome,
        executionMilliseconds: this.elapsed() - started,
        storeReads: tally.storeReads,
        storeBytesRead: tally.storeBytesRead,
        storeWrites: tally.storeWrites,
        storeBytesWritten: tally.storeBytesWritten,
        eventsWritten: tally.eventsWritten,
        ...tally.requestUnits(),
        messagesSent: tally.messagesSent,
        messagesReceived: invocation.messagesReceived,
      });
    };
    let result: Result;
    try {
      result = await invocationTally.run(tally, run);
    } catch (error) {
      record('failed', invocation.commandId);
      throw error;
    }
    record('succeeded', invocation.commandId ?? commandIdOf?.(result));
    return result;
  }

  /** Writes every waiting record (one `append`); resolves once they are written or reported lost. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffered;
    this.buffered = [];
    if (batch.length > 0) {
      this.writing = this.writing.then(() =>
        this.store.append(batch).catch((error: unknown) => {
          this.onFlushError(error, batch.length);
        }),
      );
    }
    return this.writing;
  }

  /** Flushes what waits; the meter stays usable. */
  close(): Promise<void> {
    return this.flush();
  }

  private buffer(record: StepUsage): void {
    this.buffered.push(record);
    // Outside the invocation's context, so that the store's own requests are never metered.
    if (this.buffered.length >= this.maxBatch) invocationTally.exit(() => void this.flush());
    else if (!this.timer) {
      this.timer = invocationTally.exit(() => setTimeout(() => void this.flush(), this.flushIntervalMs));
      this.timer.unref();
    }
  }
}

/** Runs an invocation under `meter`, or simply runs it when there is no meter. */
export function measureInvocation<Result>(
  meter: UsageMeter | undefined,
  invocation: MeteredInvocation,
  run: () => Promise<Result>,
  commandIdOf?: (result: Result) => string | undefined,
): Promise<Result> {
  return meter ? meter.measure(invocation, run, commandIdOf) : run();
}
