/** What one step invocation used: one record per invocation, keyed by the command it worked on. */
export interface StepUsage {
  /** Unique per invocation (a store may use it as the record's key). */
  readonly invocationId: string;
  readonly commandId: string;
  /** The step (or function) that ran: `log`, `validate`, `execute`. */
  readonly step: string;
  /** ISO-8601 instant the invocation started. */
  readonly startedAt: string;
  readonly outcome: 'succeeded' | 'failed';
  /** Wall-clock duration of the invocation, in milliseconds. */
  readonly executionMilliseconds: number;
  /** Event-store reads (one per `readStream`). */
  readonly storeReads: number;
  /** UTF-8 bytes of the events those reads returned, as JSON. */
  readonly storeBytesRead: number;
  /** Event-store writes (one per `appendToStream`, however many events it carries). */
  readonly storeWrites: number;
  /** UTF-8 bytes of the events written, as JSON envelopes (with stream id and version). */
  readonly storeBytesWritten: number;
  /** Events (Cosmos DB documents, SQLite rows) written. */
  readonly eventsWritten: number;
  /** Cosmos DB request units: measured from the responses, or estimated from the bytes (see `requestUnitsMeasured`). */
  readonly requestUnits: number;
  /** True when `requestUnits` is the sum of the responses' request charges, false when it is an estimate. */
  readonly requestUnitsMeasured: boolean;
  readonly messagesSent: number;
  readonly messagesReceived: number;
}

/** The counts that add up: every numeric field of a usage record. */
export type UsageCounts = Pick<
  StepUsage,
  | 'executionMilliseconds'
  | 'storeReads'
  | 'storeBytesRead'
  | 'storeWrites'
  | 'storeBytesWritten'
  | 'eventsWritten'
  | 'requestUnits'
  | 'messagesSent'
  | 'messagesReceived'
>;

export const usageCountNames: readonly (keyof UsageCounts)[] = [
  'executionMilliseconds',
  'storeReads',
  'storeBytesRead',
  'storeWrites',
  'storeBytesWritten',
  'eventsWritten',
  'requestUnits',
  'messagesSent',
  'messagesReceived',
];

/** What the metered ports add to while an invocation runs. */
export class UsageTally {
  storeReads = 0;
  storeBytesRead = 0;
  storeWrites = 0;
  storeBytesWritten = 0;
  eventsWritten = 0;
  estimatedRequestUnits = 0;
  measuredRequestUnits = 0;
  measuredRequests = 0;
  messagesSent = 0;

  /** A Cosmos DB response's request charge. */
  addRequestCharge(requestUnits: number): void {
    this.measuredRequests += 1;
    this.measuredRequestUnits += requestUnits;
  }

  /** Measured request units once any response reported a charge; the estimate otherwise. */
  requestUnits(): Pick<StepUsage, 'requestUnits' | 'requestUnitsMeasured'> {
    const measured = this.measuredRequests > 0;
    return { requestUnits: measured ? this.measuredRequestUnits : this.estimatedRequestUnits, requestUnitsMeasured: measured };
  }
}
