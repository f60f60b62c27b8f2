export * from './stepUsage';
export * from './usageStore';
export * from './inMemoryUsageStore';
export * from './usageMeter';
export * from './meteredPorts';
export * from './requestUnitEstimate';
export * from './priceTable';
export * from './workflowCost';
