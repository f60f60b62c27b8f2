export * from './queues';
export * from './containers';
export * from './settings';
export * from './functionsRuntime';
