import type { Container } from '@azure/cosmos';
import { byStartThenInvocation, type StepUsage, type UsageStore } from '@commandflow/usage';
import { cosmosRequestError, statusCodeOf } from './cosmosFailure';

/** A usage record as stored: the record itself, `id` = its invocation id, partitioned by command id. */
type UsageDocument = StepUsage & { readonly id: string };

const usageQuery = 'SELECT * FROM c WHERE c.commandId = @commandId';

/**
 * Usage records in the Cosmos DB `usage` container (partition key `/commandId`): one document per
 * invocation, `id` = invocation id. A batch is sent as one upsert per record, all at once (records
 * of one batch belong to many commands, so to many partitions); an upsert of a record already
 * stored changes nothing. A command's records are read with one single-partition query.
 */
export class CosmosUsageStore implements UsageStore {
  constructor(private readonly container: Container) {}

  async append(records: readonly StepUsage[]): Promise<void> {
    await Promise.all(
      records.map(async (record) => {
        try {
          await this.container.items.upsert<UsageDocument>({ ...record, id: record.invocationId });
        } catch (error) {
          throw cosmosRequestError(`usage of command ${record.commandId}`, statusCodeOf(error), error, { commandId: record.commandId });
        }
      }),
    );
  }

  async usageOf(commandId: string): Promise<readonly StepUsage[]> {
    try {
      const { resources } = await this.container.items
        .query<UsageDocument>({ query: usageQuery, parameters: [{ name: '@commandId', value: commandId }] }, { partitionKey: commandId })
        .fetchAll();
      return resources.map(stepUsageOf).sort(byStartThenInvocation);
    } catch (error) {
      throw cosmosRequestError(`usage of command ${commandId}`, statusCodeOf(error), error, { commandId });
    }
  }
}

/** The record without the document's `id` and Cosmos DB's system properties. */
function stepUsageOf(document: UsageDocument): StepUsage {
  const { id: _id, _rid, _self, _etag, _attachments, _ts, ...record } = document as UsageDocument & Record<string, unknown>;
  return record as unknown as StepUsage;
}
