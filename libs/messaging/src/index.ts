export * from './messageSender';
export * from './inMemoryQueues';
export * from './deadLetters';
