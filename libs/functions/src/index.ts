export * from './functionDefinition';
export * from './onFirstUse';
export * from './traceContext';
