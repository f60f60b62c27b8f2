export * from './intakeFunctions';
export * from './intakeServices';
export * from './eventGridSubmit';
export * from './hostSettings';
