export * from './stepSpan';
export * from './startTelemetry';
export * from './telemetrySettings';
