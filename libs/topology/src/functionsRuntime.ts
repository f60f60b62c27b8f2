import runtime from './functionsRuntime.json';

/**
 * The language runtime the function apps are deployed on: infra sets it on every app, the
 * bundler targets it and the pipelines build with it. Kept as JSON so that `tools/nodeBundle.mjs`
 * reads the same file. Development and tests also run on older supported Node versions (20).
 */
export const functionsRuntime: Readonly<{ name: 'node'; version: string }> = {
  name: runtime.name as 'node',
  version: runtime.version,
};
