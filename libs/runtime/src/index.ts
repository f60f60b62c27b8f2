export * from './runtimeSettings';
export * from './appRuntime';
