/** Test tooling of the SQLite adapters. Not for product code. */
export * from './temporaryDatabase';
