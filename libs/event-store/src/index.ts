export * from './eventStore';
export * from './appendRules';
export * from './inMemoryEventStore';
export * from './eventStoreContract';
export * from './testEvent';
