export * from './messageSender';
export * from './inMemoryQueues';
