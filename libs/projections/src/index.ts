export * from './commandState';
export * from './commandListItem';
