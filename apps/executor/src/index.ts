export * from './executorFunctions';
export * from './executorServices';
export * from './hostSettings';
