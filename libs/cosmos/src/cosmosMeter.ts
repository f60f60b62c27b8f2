import type { CosmosHeaders } from '@azure/cosmos';

/** The kinds of Cosmos DB request the adapters make; each is one billed request (a query page is one). */
export type CosmosOperationKind = 'pointRead' | 'query' | 'create' | 'batch' | 'replace';

export const cosmosOperationKinds: readonly CosmosOperationKind[] = ['pointRead', 'query', 'create', 'batch', 'replace'];

/** One request as the meter sees it. Failed requests (a 404 read, a 409 create) are reported too: they are billed. */
export interface CosmosOperation {
  readonly kind: CosmosOperationKind;
  /** Request units charged, from the `x-ms-request-charge` header (0 when absent). */
  readonly requestCharge: number;
  /** UTF-8 size of the JSON documents sent (writes) or returned (reads). */
  readonly bytes: number;
  /** The event stream the request was for, if any. */
  readonly streamId?: string;
  /** The container's name. */
  readonly container: string;
}

/** Receives every request an adapter makes; what it does with them (sum, export, log) is its own business. */
export interface CosmosMeter {
  record(operation: CosmosOperation): void;
}

export interface CosmosOperationTotals {
  readonly count: number;
  readonly requestCharge: number;
  readonly bytes: number;
}

/** A meter that sums requests per kind in process memory. */
export class InMemoryCosmosMeter implements CosmosMeter {
  private readonly sums = new Map<CosmosOperationKind, CosmosOperationTotals>();

  record({ kind, requestCharge, bytes }: CosmosOperation): void {
    const sum = this.sums.get(kind) ?? { count: 0, requestCharge: 0, bytes: 0 };
    this.sums.set(kind, { count: sum.count + 1, requestCharge: sum.requestCharge + requestCharge, bytes: sum.bytes + bytes });
  }

  /** Totals per kind, every kind present (zeros for kinds not seen). */
  totals(): Readonly<Record<CosmosOperationKind, CosmosOperationTotals>> {
    return Object.fromEntries(
      cosmosOperationKinds.map((kind) => [kind, this.sums.get(kind) ?? { count: 0, requestCharge: 0, bytes: 0 }]),
    ) as Record<CosmosOperationKind, CosmosOperationTotals>;
  }

  /** Request counts per kind, leaving out kinds not seen: the shape tests and cost reports compare. */
  counts(): Partial<Record<CosmosOperationKind, number>> {
    return Object.fromEntries([...this.sums].map(([kind, { count }]) => [kind, count]));
  }
}

/** UTF-8 size of a value as JSON; 0 for undefined. */
export const jsonBytes = (value: unknown): number => (value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value)));

/** The charge of a response (its `requestCharge`) or of an SDK error (its headers); 0 when neither says. */
function requestChargeOf(responseOrError: unknown): number {
  const { requestCharge, headers } = (responseOrError ?? {}) as { requestCharge?: unknown; headers?: CosmosHeaders };
  return typeof requestCharge === 'number' ? requestCharge : Number(headers?.['x-ms-request-charge'] ?? 0) || 0;
}

/**
 * Runs one request and reports it to `meter`, failed or not. `bytes` gets the response, or
 * undefined when the request threw.
 */
export async function meteredRequest<Response>(
  meter: CosmosMeter | undefined,
  operation: Omit<CosmosOperation, 'requestCharge' | 'bytes'>,
  bytes: (response: Response | undefined) => number,
  run: () => Promise<Response>,
): Promise<Response> {
  try {
    const response = await run();
    meter?.record({ ...operation, requestCharge: requestChargeOf(response), bytes: bytes(response) });
    return response;
  } catch (error) {
    meter?.record({ ...operation, requestCharge: requestChargeOf(error), bytes: bytes(undefined) });
    throw error;
  }
}
