export * from './messageSender';
export * from './peekLockQueue';
export * from './deadLetters';
export * from './inMemoryQueues';
