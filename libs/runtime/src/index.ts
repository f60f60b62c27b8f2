export * from './runtimeSettings';
export * from './embeddedRuntime';
export * from './appRuntime';
