import nx from '@nx/eslint-plugin';
import regexp from 'eslint-plugin-regexp';

/** Packages that domain code (projects tagged type:domain) may not import. */
const domainBannedPackages = ['@azure/*', 'better-sqlite3'];

/** I/O built-ins that domain code may not import (the Nx rule checks packages, not built-ins). */
const domainBannedBuiltins = ['fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'child_process', 'dgram', 'tls', 'worker_threads', 'cluster'];

/** The domain libs, by folder, for the built-in check; keep in step with their type:domain tags. */
const domainLibFiles = ['libs/{topology,events,projections,event-store,messaging,workflow,commands,usage}/**/*.ts'];

const domainBannedImports = domainBannedBuiltins.flatMap((name) => [name, `node:${name}`]).map((name) => ({
  name,
  message: 'Domain code does no I/O: take a port (EventStore, MessageSender) instead.',
}));

/** Product sources: what the apps and the host ship. */
const productFiles = ['libs/*/src/**/*.ts', 'apps/*/src/**/*.ts'];

/** Specs and test tooling, which may use `testing/` entry points. */
const testFiles = ['**/*.spec.ts', '**/testing/**'];

/** A lib's test tooling: `@commandflow/<lib>/testing`, or a relative `testing` folder. */
const testingImports = {
  group: ['@commandflow/*/testing', '@commandflow/*/testing/*', '**/testing', '**/testing/*'],
  message: 'Test tooling is for specs only: product code may not import a testing entry point.',
};

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/.nx', 'tmp', 'coverage'] },
  {
    files: ['**/*.ts', '**/*.js', '**/*.cjs', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          // The local host loads each app's function list, as the Functions host loads main.js.
          allow: ['@commandflow/intake', '@commandflow/validator', '@commandflow/executor'],
          depConstraints: [
            { sourceTag: 'type:domain', bannedExternalImports: domainBannedPackages },
            { sourceTag: 'scope:topology', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'scope:events', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'scope:projections', onlyDependOnLibsWithTags: ['scope:events'] },
            { sourceTag: 'scope:event-store', onlyDependOnLibsWithTags: ['scope:events'] },
            { sourceTag: 'scope:messaging', onlyDependOnLibsWithTags: ['scope:events'] },
            { sourceTag: 'scope:usage', onlyDependOnLibsWithTags: ['scope:events', 'scope:event-store', 'scope:messaging'] },
            {
              sourceTag: 'scope:workflow',
              onlyDependOnLibsWithTags: ['scope:events', 'scope:projections', 'scope:event-store', 'scope:messaging', 'scope:topology'],
            },
            {
              sourceTag: 'scope:commands',
              onlyDependOnLibsWithTags: ['scope:workflow', 'scope:events', 'scope:projections', 'scope:event-store'],
            },
            { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:domain', 'type:adapter'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:adapter'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:domain', 'type:adapter', 'type:app', 'type:tool'] },
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['scope:topology'] },
          ],
        },
      ],
    },
  },
  {
    // No regular expression may take more than linear time on any input: untrusted text is matched
    // against them (paths, headers, parameters).
    files: ['**/*.ts'],
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': ['error', { report: 'potential' }],
      'regexp/no-super-linear-move': ['error', { report: 'potential' }],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // Product code never imports test tooling: a lib's `testing/` entry point is for specs and tools.
    files: productFiles,
    ignores: testFiles,
    rules: { 'no-restricted-imports': ['error', { patterns: [testingImports] }] },
  },
  {
    files: domainLibFiles,
    rules: { 'no-restricted-imports': ['error', { paths: domainBannedImports }] },
  },
  {
    files: domainLibFiles,
    ignores: testFiles,
    rules: { 'no-restricted-imports': ['error', { paths: domainBannedImports, patterns: [testingImports] }] },
  },
  {
    files: ['**/*.spec.ts', '**/testing/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // Build scripts share one esbuild configuration (tools/nodeBundle.mjs); they are not project code.
    files: ['tools/**/*.mjs'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
