export * from './functionDefinition';
export * from './onFirstUse';
export * from './traceContext';
export * from './queueDelivery';
export * from './stepFunction';
export * from './invocationStepSpan';
