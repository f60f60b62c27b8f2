export * from './eventStore';
export * from './appendRules';
export * from './inMemoryEventStore';
