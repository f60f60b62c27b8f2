import type { Container, JSONObject, OperationInput, SqlQuerySpec } from '@azure/cosmos';
import { ConcurrencyError, ValidationError, type EventEnvelope, type NewEvent } from '@commandflow/events';
import {
  assertExpectedVersion,
  assertValidStreamId,
  checkAppend,
  defaultMaxEventBytes,
  versionRange,
  type EventStore,
  type ExpectedVersion,
  type ReadStreamOptions,
  type StreamSlice,
} from '@commandflow/event-store';
import { cosmosRequestError, failedBatchOperation, statusCodeOf } from './cosmosFailure';
import { jsonBytes, meteredRequest, type CosmosMeter, type CosmosOperationKind } from './cosmosMeter';
import { envelopeFields, eventDocumentId, toEventDocument, type EventDocument } from './eventDocument';

export interface CosmosEventStoreOptions {
  /** Largest serialised event, in bytes. Default `defaultMaxEventBytes` (256 KiB). */
  readonly maxEventBytes?: number;
  /** Receives every request: its kind, request charge and bytes. */
  readonly meter?: CosmosMeter;
}

/** Most operations in one Cosmos DB transactional batch. */
export const maxEventsPerAppend = 100;
/** Cosmos DB's limit on a transactional batch's payload: 2 MiB. */
export const maxAppendBytes = 2 * 1024 * 1024;
/** Events per query page when reading a stream. */
const readPageSize = 100;

const rangeQuery = `SELECT ${envelopeFields.map((field) => `c.${field}`).join(', ')} FROM c
  WHERE c.streamId = @streamId AND c.version >= @from AND c.version <= @to ORDER BY c.version`;
const lastVersionQuery = 'SELECT TOP 1 VALUE c.version FROM c WHERE c.streamId = @streamId ORDER BY c.version DESC';

interface WriteFailure {
  readonly statusCode: number | undefined;
  readonly cause: unknown;
}

/**
 * The event store on the Cosmos DB `events` container (partition key `/streamId`): one document
 * per event, `id` = zero-padded version. A single event is appended with a create, several with
 * one transactional batch of creates (at most 100 events and 2 MiB). The create of the next
 * version's id is the optimistic-concurrency check: losing a race is a 409, thrown as
 * ConcurrencyError with the stream's actual version.
 */
export class CosmosEventStore implements EventStore {
  private readonly maxEventBytes: number;

  constructor(
    private readonly container: Container,
    private readonly options: CosmosEventStoreOptions = {},
  ) {
    this.maxEventBytes = options.maxEventBytes ?? defaultMaxEventBytes;
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<StreamSlice> {
    assertValidStreamId(streamId);
    const { from, to } = versionRange(options);
    const events =
      from > to
        ? []
        : await this.query<EventEnvelope>(streamId, {
            query: rangeQuery,
            parameters: [
              { name: '@streamId', value: streamId },
              { name: '@from', value: from },
              { name: '@to', value: to },
            ],
          });
    return { events, version: versionShownByRead(events, from, to) ?? (await this.lastVersion(streamId)) };
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    { expectedVersion }: { readonly expectedVersion: ExpectedVersion },
  ): Promise<number> {
    const serialised = checkAppend(streamId, events, expectedVersion, this.maxEventBytes);
    const bytes = serialised.reduce((sum, json) => sum + Buffer.byteLength(json), 0);
    if (events.length > maxEventsPerAppend || bytes > maxAppendBytes) {
      throw new ValidationError(
        'append_too_large',
        `Cannot append ${events.length} events (${bytes} bytes) to stream ${streamId} at once: one append is one ` +
          `Cosmos DB transactional batch, at most ${maxEventsPerAppend} events and ${maxAppendBytes} bytes. Split it.`,
        { streamId, events: events.length, bytes },
      );
    }
    const current = await this.versionToAppendAfter(streamId, expectedVersion);
    const documents = events.map((event, index) => toEventDocument(streamId, current + index + 1, event));
    const failure = await this.write(streamId, documents);
    if (failure?.statusCode === 409) throw new ConcurrencyError(streamId, expectedVersion, await this.lastVersion(streamId));
    if (failure) throw cosmosRequestError(`stream ${streamId}`, failure.statusCode, failure.cause, { streamId });
    return current + documents.length;
  }

  /**
   * The version to append after, checked as far as a read can: 'no-stream' (and 0) need no read,
   * since the create of id 1 fails if the stream exists; a version n is confirmed by a point read
   * of document n (the create of n + 1 then fails if the stream has moved on); 'any', or an n
   * that is not there, costs a query for the last version.
   */
  private async versionToAppendAfter(streamId: string, expectedVersion: ExpectedVersion): Promise<number> {
    if (expectedVersion === 'no-stream' || expectedVersion === 0) return 0;
    if (expectedVersion !== 'any' && (await this.hasVersion(streamId, expectedVersion))) return expectedVersion;
    const actualVersion = await this.lastVersion(streamId);
    assertExpectedVersion(streamId, expectedVersion, actualVersion);
    return actualVersion;
  }

  private async hasVersion(streamId: string, version: number): Promise<boolean> {
    const { statusCode } = await this.read('pointRead', streamId, (response) => jsonBytes(response?.resource), () =>
      this.container.item(eventDocumentId(version), streamId).read(),
    );
    return statusCode === 200;
  }

  private async lastVersion(streamId: string): Promise<number> {
    const [version] = await this.query<number>(streamId, {
      query: lastVersionQuery,
      parameters: [{ name: '@streamId', value: streamId }],
    });
    return version ?? 0;
  }

  /** Every page of a single-partition query, each one a metered request. */
  private async query<Result>(streamId: string, spec: SqlQuerySpec): Promise<Result[]> {
    const pages = this.container.items.query<Result>(spec, { partitionKey: streamId, maxItemCount: readPageSize });
    const results: Result[] = [];
    while (pages.hasMoreResults()) {
      const { resources } = await this.read('query', streamId, (page) => jsonBytes(page?.resources), () => pages.fetchNext());
      results.push(...resources);
    }
    return results;
  }

  /** Creates the documents: one with a create, several with one transactional batch. Returns why it failed, if it did. */
  private async write(streamId: string, documents: readonly EventDocument[]): Promise<WriteFailure | undefined> {
    const bytes = () => jsonBytes(documents.length === 1 ? documents[0] : documents);
    try {
      if (documents.length === 1) {
        await this.metered('create', streamId, bytes, () => this.container.items.create(documents[0]));
        return undefined;
      }
      const operations = documents.map(
        (document): OperationInput => ({ operationType: 'Create', resourceBody: document as unknown as JSONObject }),
      );
      const { result = [] } = await this.metered('batch', streamId, bytes, () => this.container.items.batch(operations, streamId));
      const failed = failedBatchOperation(result);
      if (!failed) return undefined;
      const rolledBack = `Transactional batch rolled back: operation ${result.indexOf(failed) + 1} of ${result.length} failed`;
      return { statusCode: failed.statusCode, cause: new Error(rolledBack) };
    } catch (error) {
      return { statusCode: statusCodeOf(error), cause: error };
    }
  }

  private metered<Response>(
    kind: CosmosOperationKind,
    streamId: string,
    bytes: (response: Response | undefined) => number,
    run: () => Promise<Response>,
  ): Promise<Response> {
    return meteredRequest(this.options.meter, { kind, streamId, container: this.container.id }, bytes, run);
  }

  /** A metered read whose failure is thrown as a CommandflowError naming the stream. */
  private async read<Response>(
    kind: CosmosOperationKind,
    streamId: string,
    bytes: (response: Response | undefined) => number,
    run: () => Promise<Response>,
  ): Promise<Response> {
    try {
      return await this.metered(kind, streamId, bytes, run);
    } catch (error) {
      throw cosmosRequestError(`stream ${streamId}`, statusCodeOf(error), error, { streamId });
    }
  }
}

/**
 * The stream's version, if a read of versions `from`..`to` that returned `events` proves it:
 * versions are contiguous from 1, so a read that stops before `to` reached the end of the stream.
 */
function versionShownByRead(events: readonly EventEnvelope[], from: number, to: number): number | undefined {
  const last = events.at(-1)?.version;
  if (last !== undefined) return last < to ? last : undefined;
  return from === 1 && to >= 1 ? 0 : undefined;
}
