export * from './appSettings';
export * from './appRuntime';
export * from './usageMetering';
export type { Environment } from '@commandflow/events';
export * from './sweepSettings';
