export * from './commandflowDatabase';
export * from './sqliteEventStore';
export * from './feedConsumer';
export * from './sqliteFeedCheckpoints';
export * from './sqliteQueue';
export * from './sqliteCommandListStore';
export * from './embeddedStores';
export * from './sqliteUsageStore';
