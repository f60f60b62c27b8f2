export * from './functionDefinition';
export * from './onFirstUse';
