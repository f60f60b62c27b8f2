/** Cosmos DB container definitions: the one source of truth for the adapter, the tests and infra. */
export interface IndexingPolicy {
  readonly indexingMode: 'consistent';
  readonly automatic: boolean;
  readonly includedPaths: readonly { readonly path: string }[];
  readonly excludedPaths: readonly { readonly path: string }[];
  readonly compositeIndexes?: readonly (readonly { readonly path: string; readonly order: 'ascending' | 'descending' }[])[];
}

export interface ContainerDefinition {
  readonly name: string;
  /** The partition key path, e.g. `/streamId`. */
  readonly partitionKeyPath: string;
  readonly indexingPolicy: IndexingPolicy;
}

/** One document per event, `id` = zero-padded version; a stream is one logical partition. */
export const eventsContainer: ContainerDefinition = {
  name: 'events',
  partitionKeyPath: '/streamId',
  indexingPolicy: {
    indexingMode: 'consistent',
    automatic: true,
    // Reads are single-partition queries on version; /data/* and the rest are never queried.
    includedPaths: [{ path: '/version/?' }, { path: '/type/?' }],
    excludedPaths: [{ path: '/*' }, { path: '/data/*' }, { path: '/"_etag"/?' }],
  },
};

/**
 * Read models: one document per command, listed newest first and filtered by status or type, and
 * by last change (oldest first) for the sweeper.
 */
export const viewsContainer: ContainerDefinition = {
  name: 'views',
  partitionKeyPath: '/id',
  indexingPolicy: {
    indexingMode: 'consistent',
    automatic: true,
    includedPaths: [{ path: '/status/?' }, { path: '/commandType/?' }, { path: '/createdAt/?' }, { path: '/commandId/?' }, { path: '/updatedAt/?' }],
    excludedPaths: [{ path: '/*' }, { path: '/"_etag"/?' }],
    // Newest first, ties broken by command id: the same order every CommandListStore gives.
    compositeIndexes: [
      [
        { path: '/createdAt', order: 'descending' },
        { path: '/commandId', order: 'descending' },
      ],
      [
        { path: '/status', order: 'ascending' },
        { path: '/createdAt', order: 'descending' },
        { path: '/commandId', order: 'descending' },
      ],
      [
        { path: '/commandType', order: 'ascending' },
        { path: '/createdAt', order: 'descending' },
        { path: '/commandId', order: 'descending' },
      ],
      // The sweeper: oldest change first, filtered by status (unfinished) and a range of updatedAt.
      [
        { path: '/updatedAt', order: 'ascending' },
        { path: '/commandId', order: 'ascending' },
      ],
    ],
  },
};

/** Leases of the change-feed trigger; the Functions host requires partition key `/id`. */
export const leasesContainer: ContainerDefinition = {
  name: 'leases',
  partitionKeyPath: '/id',
  indexingPolicy: {
    indexingMode: 'consistent',
    automatic: true,
    includedPaths: [{ path: '/*' }],
    excludedPaths: [{ path: '/"_etag"/?' }],
  },
};

/**
 * Usage records of the cost meter: one document per step invocation (`id` = invocation id), a
 * command's records in one logical partition, read only by a single-partition query on it.
 */
export const usageContainer: ContainerDefinition = {
  name: 'usage',
  partitionKeyPath: '/commandId',
  indexingPolicy: {
    indexingMode: 'consistent',
    automatic: true,
    includedPaths: [{ path: '/commandId/?' }],
    excludedPaths: [{ path: '/*' }, { path: '/"_etag"/?' }],
  },
};

export const containers = [eventsContainer, viewsContainer, leasesContainer, usageContainer] as const;

/** The database that holds every container. */
export const databaseName = 'commandflow';

/** Lease prefix of each change-feed consumer; one prefix per consumer shares the leases container. */
export const leasePrefixes = {
  commandListProjector: 'command-list.',
} as const;
