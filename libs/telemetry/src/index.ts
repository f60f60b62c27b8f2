export * from './stepSpan';
export * from './startTelemetry';
export * from './telemetrySettings';
export * from './invocationStepSpan';
