export * from './azureMonitorExport';
