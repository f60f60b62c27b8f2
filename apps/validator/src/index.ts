export * from './validatorFunctions';
export * from './validatorServices';
export * from './hostSettings';
