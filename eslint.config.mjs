import nx from '@nx/eslint-plugin';

/** Imports that domain code may not make: Azure SDKs, the SQLite driver and I/O built-ins. */
const domainBannedImports = [
  '@azure/*',
  'better-sqlite3',
  'node:fs',
  'node:fs/*',
  'fs',
  'fs/*',
  'node:net',
  'net',
  'node:http',
  'http',
  'node:https',
  'https',
  'node:child_process',
  'child_process',
];

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
          allow: [],
          depConstraints: [
            { sourceTag: 'type:domain', bannedExternalImports: domainBannedImports },
            { sourceTag: 'scope:topology', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'scope:events', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'scope:projections', onlyDependOnLibsWithTags: ['scope:events'] },
            { sourceTag: 'scope:event-store', onlyDependOnLibsWithTags: ['scope:events'] },
            { sourceTag: 'scope:messaging', onlyDependOnLibsWithTags: [] },
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
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:domain', 'type:adapter', 'type:app'] },
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['scope:topology'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
