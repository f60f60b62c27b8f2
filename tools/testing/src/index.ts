/** Test tooling for whole-stack tests: the bundled local host as real processes, and polling. */
export * from './hostProcess';
