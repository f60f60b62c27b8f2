export * from './appSettings';
export * from './appRuntime';
export type { Environment } from '@commandflow/events';
export * from './sweepSettings';
