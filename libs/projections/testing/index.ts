export * from './commandStream';
