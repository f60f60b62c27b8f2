export * from './usageStoreContract';
