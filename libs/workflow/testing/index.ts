export * from './deciderSpecification';
export * from './registerTeam';
export * from './commandListStoreContract';
export * from './retryExpectations';
