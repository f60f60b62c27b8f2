export * from './envelope';
export * from './errors';
export * from './eventCodec';
export * from './workflowEvents';
export * from './configuration';
export * from './inputLimits';
