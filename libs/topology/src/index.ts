export * from './queues';
export * from './containers';
export * from './settings';
export * from './durations';
export * from './functionsRuntime';
