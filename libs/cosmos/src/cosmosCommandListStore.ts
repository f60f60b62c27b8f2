import type { Container, ItemDefinition, Resource } from '@azure/cosmos';
import { commandStatuses, type CommandListItem, type CommandStatus } from '@commandflow/projections';
import {
  assertPageSize,
  unfinishedStatuses,
  type CommandChangeQuery,
  invalidContinuation,
  statusCounts,
  type CommandCountFilter,
  type CommandListPage,
  type CommandListQuery,
  type CommandListStore,
  type CommandStatusCounts,
  type StoredCommandListItem,
} from '@commandflow/workflow';
import { cosmosRequestError, statusCodeOf } from './cosmosFailure';
import { jsonBytes, meteredRequest, type CosmosMeter, type CosmosOperationKind } from './cosmosMeter';

export interface CosmosCommandListStoreOptions {
  /** Receives every request: its kind, request charge and bytes. */
  readonly meter?: CosmosMeter;
}


/**
 * The command-list read model in the Cosmos DB `views` container (partition key `/id`): one
 * document per command, the item itself. The etag is Cosmos DB's `_etag`: a save replaces the
 * document only if nobody saved it since it was read. Lists are newest first by `createdAt`; the
 * continuation is the SDK's, base64url-encoded.
 */
export class CosmosCommandListStore implements CommandListStore {
  constructor(
    private readonly container: Container,
    private readonly options: CosmosCommandListStoreOptions = {},
  ) {}

  /** A point read; undefined when the command has no document yet. */
  async get(commandId: string): Promise<StoredCommandListItem | undefined> {
    try {
      const { resource } = await this.metered('pointRead', (response) => jsonBytes(response?.resource), () =>
        this.container.item(commandId, commandId).read<CommandListItem>(),
      );
      return resource && { item: withoutSystemProperties(resource), etag: resource._etag };
    } catch (error) {
      throw documentError(commandId, error);
    }
  }

  /** Creates the document (`etag` undefined) or replaces it if its etag still matches; false on a 409 or 412. */
  async save(item: CommandListItem, etag: string | undefined): Promise<boolean> {
    const document = item as CommandListItem & ItemDefinition;
    try {
      await this.metered(etag === undefined ? 'create' : 'replace', () => jsonBytes(item), () =>
        etag === undefined
          ? this.container.items.create(document)
          : this.container.item(item.id, item.id).replace(document, { accessCondition: { type: 'IfMatch', condition: etag } }),
      );
      return true;
    } catch (error) {
      const statusCode = statusCodeOf(error);
      if (statusCode === 409 || statusCode === 412) return false;
      throw documentError(item.id, error);
    }
  }

  /** A page of at most `limit` (1..100) documents, newest first, filtered by status and command type. */
  async list({ status, commandType, limit, continuation }: CommandListQuery): Promise<CommandListPage> {
    assertPageSize(limit);
    const filters: [property: 'status' | 'commandType', value: string][] = [];
    if (status !== undefined) filters.push(['status', status]);
    if (commandType !== undefined) filters.push(['commandType', commandType]);
    const where = filters.length ? `WHERE ${filters.map(([property]) => `c.${property} = @${property}`).join(' AND ')}` : '';
    // Leading with the first filtered property lets its composite index (property ASC, createdAt DESC, commandId DESC) serve the query.
    const orderBy = [...filters.slice(0, 1).map(([property]) => `c.${property} ASC`), 'c.createdAt DESC', 'c.commandId DESC'].join(', ');
    const parameters = filters.map(([property, value]) => ({ name: `@${property}`, value }));
    return this.page(`SELECT * FROM c ${where} ORDER BY ${orderBy}`, parameters, limit, continuation);
  }

  /**
   * A page of at most `limit` (1..100) documents by last change, oldest first: one query over the
   * `views` container, served by the composite index (updatedAt ASC, commandId ASC). The events
   * container is never read.
   */
  async listByLastChange({ unfinished, changedFrom, changedBefore, limit, continuation }: CommandChangeQuery): Promise<CommandListPage> {
    assertPageSize(limit);
    const conditions: string[] = [];
    const parameters: { name: string; value: string }[] = [];
    if (unfinished) {
      conditions.push(`c.status IN (${unfinishedStatuses.map((_, index) => `@status${index}`).join(', ')})`);
      parameters.push(...unfinishedStatuses.map((status, index) => ({ name: `@status${index}`, value: status })));
    }
    if (changedFrom !== undefined) {
      conditions.push('c.updatedAt >= @changedFrom');
      parameters.push({ name: '@changedFrom', value: changedFrom });
    }
    if (changedBefore !== undefined) {
      conditions.push('c.updatedAt < @changedBefore');
      parameters.push({ name: '@changedBefore', value: changedBefore });
    }
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    return this.page(`SELECT * FROM c ${where} ORDER BY c.updatedAt ASC, c.commandId ASC`, parameters, limit, continuation);
  }

  /** One page of a query's documents, with the SDK's continuation (base64url) when there are more. */
  private async page(query: string, parameters: { name: string; value: string }[], limit: number, continuation: string | undefined): Promise<CommandListPage> {
    const pages = this.container.items.query<CommandListItem & ItemDefinition>(
      { query, parameters },
      // enableQueryControl: the SDK hands out continuations for cross-partition ORDER BY queries only with it.
      { maxItemCount: limit, continuationToken: continuation && decodeContinuation(continuation), enableQueryControl: true },
    );
    // A page may come back empty while more results are on their way: fetch until one has items.
    for (;;) {
      let page;
      try {
        page = await this.metered('query', (response) => jsonBytes(response?.resources), () => pages.fetchNext());
      } catch (error) {
        const statusCode = statusCodeOf(error);
        if (continuation && statusCode === 400) throw invalidContinuation(continuation);
        throw cosmosRequestError('the command list', statusCode, error);
      }
      if (page.resources.length > 0 || !pages.hasMoreResults()) {
        const next = page.continuationToken;
        return { items: page.resources.map(withoutSystemProperties), ...(next && { continuation: encodeContinuation(next) }) };
      }
    }
  }

  /**
   * How many commands have each status, of one command type or of all: one COUNT query per status,
   * each served by the index on status (the test server has no GROUP BY, and five point counts cost
   * no more RUs than one grouped scan).
   */
  async countByStatus({ commandType }: CommandCountFilter = {}): Promise<CommandStatusCounts> {
    const counts = await Promise.all(commandStatuses.map(async (status) => [status, await this.count(status, commandType)] as const));
    return statusCounts(counts);
  }

  private async count(status: CommandStatus, commandType: string | undefined): Promise<number> {
    const parameters = [{ name: '@status', value: status }, ...(commandType === undefined ? [] : [{ name: '@commandType', value: commandType }])];
    const where = `c.status = @status${commandType === undefined ? '' : ' AND c.commandType = @commandType'}`;
    const pages = this.container.items.query<number>({ query: `SELECT VALUE COUNT(1) FROM c WHERE ${where}`, parameters });
    let total = 0;
    try {
      while (pages.hasMoreResults()) {
        const page = await this.metered('query', (response) => jsonBytes(response?.resources), () => pages.fetchNext());
        for (const count of page.resources) total += count;
      }
    } catch (error) {
      throw cosmosRequestError('the command counts', statusCodeOf(error), error);
    }
    return total;
  }

  private metered<Response>(
    kind: CosmosOperationKind,
    bytes: (response: Response | undefined) => number,
    run: () => Promise<Response>,
  ): Promise<Response> {
    return meteredRequest(this.options.meter, { kind, container: this.container.id }, bytes, run);
  }
}

const documentError = (commandId: string, error: unknown) =>
  cosmosRequestError(`command-list document ${commandId}`, statusCodeOf(error), error, { commandId });

/** The item, without the properties Cosmos DB adds to every document. */
function withoutSystemProperties(document: CommandListItem & Partial<Resource> & { _attachments?: string }): CommandListItem {
  const { _rid, _self, _etag, _attachments, _ts, ...item } = document;
  return item;
}

const encodeContinuation = (token: string): string => Buffer.from(token).toString('base64url');

function decodeContinuation(continuation: string): string {
  const token = Buffer.from(continuation, 'base64url').toString('utf8');
  if (Buffer.from(token).toString('base64url') !== continuation) throw invalidContinuation(continuation);
  return token;
}


