/**
 * Cosmos DB's published request charges by document size, for reads and for writes with
 * indexing: what the meter charges an operation when no Cosmos DB response says (the embedded
 * default, the in-memory store). Both lists are ascending in `kilobytes`.
 */
export interface RequestUnitTable {
  readonly kilobytes: readonly number[];
  readonly read: readonly number[];
  readonly write: readonly number[];
}

/**
 * The estimated charge of an operation on `bytes`: the published figure for the smallest listed
 * size that holds it (a size past the last is charged in proportion to the last).
 */
export function estimateRequestUnits(table: RequestUnitTable, operation: 'read' | 'write', bytes: number): number {
  const charges = table[operation];
  const kilobytes = bytes / 1024;
  const index = table.kilobytes.findIndex((size) => kilobytes <= size);
  if (index >= 0) return charges[index] as number;
  const last = table.kilobytes.length - 1;
  return ((charges[last] as number) * kilobytes) / (table.kilobytes[last] as number);
}
