export * from './pageDocument';
