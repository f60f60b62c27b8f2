export * from './eventStoreContract';
export * from './testEvent';
