export * from './queueContract';
