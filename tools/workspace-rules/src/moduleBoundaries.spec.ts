import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * Proves the architecture rules bite: the workspace's own ESLint config rejects a domain lib
 * that imports Azure, SQLite or I/O built-ins, or that depends against the layering; product code
 * that imports test tooling; and any regular expression whose running time can grow faster than
 * its input (untrusted text is matched against them).
 */
const workspaceRoot = path.resolve(__dirname, '../../..');

/** Lints sources as if they were files at the given paths, in a plain Node process (ESLint loads ESM config). */
function lintAsFiles(files: Record<string, string>): Record<string, string[]> {
  const script = `
    const { ESLint } = require('eslint');
    const files = JSON.parse(process.argv[1]);
    (async () => {
      const eslint = new ESLint();
      const out = {};
      for (const [file, source] of Object.entries(files)) {
        const [result] = await eslint.lintText(source, { filePath: file });
        out[file] = result.messages.filter((m) => ['@nx/enforce-module-boundaries', 'no-restricted-imports', 'regexp/no-super-linear-backtracking', 'regexp/no-super-linear-move'].includes(m.ruleId)).map((m) => m.message);
      }
      process.stdout.write(JSON.stringify(out));
    })().catch((error) => { console.error(error); process.exit(1); });`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script, JSON.stringify(files)], { cwd: workspaceRoot, encoding: 'utf8' }));
}

const cases = {
  'libs/workflow/src/cosmos.ts': "import { CosmosClient } from '@azure/cosmos';\nexport const client = CosmosClient;\n",
  'libs/events/src/serviceBus.ts': "import { ServiceBusClient } from '@azure/service-bus';\nexport const c = ServiceBusClient;\n",
  'libs/projections/src/sqlite.ts': "import Database from 'better-sqlite3';\nexport const d = Database;\n",
  'libs/commands/src/files.ts': "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
  'libs/workflow/src/processes.ts': "import { spawn } from 'node:child_process';\nexport const s = spawn;\n",
  'libs/event-store/src/upward.ts': "import { commandState } from '@commandflow/projections';\nexport const c = commandState;\n",
  'apps/intake/src/testTooling.ts': "import { describeQueueContract } from '@commandflow/messaging/testing';\nexport const d = describeQueueContract;\n",
  'libs/sqlite/src/relativeTesting.ts': "import { TemporaryDatabase } from '../testing';\nexport const t = TemporaryDatabase;\n",
  'libs/sqlite/src/usesTesting.int.spec.ts': "import { TemporaryDatabase } from '../testing';\nexport const t = TemporaryDatabase;\n",
  'libs/workflow/src/allowed.ts':
    "import { z } from 'zod';\nimport { commandState } from '@commandflow/projections';\nexport const a = [z, commandState];\n",
  'libs/commands/src/backtracking.ts': 'export const isEmail = (value: string) => /^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$/.test(value);\n',
  'apps/intake/src/moving.ts': "export const trimmed = (value: string) => value.replace(/-+$/, '');\n",
  'apps/intake/src/linear.ts': "export const isKey = (value: string) => /^[A-Za-z0-9-]{1,200}$/.test(value);\n",
};
let errors: Record<string, string[]>;
beforeAll(() => {
  errors = lintAsFiles(cases);
}, 60_000);

describe('module boundaries', () => {
  it.each([
    ['libs/workflow/src/cosmos.ts', '@azure/cosmos'],
    ['libs/events/src/serviceBus.ts', '@azure/service-bus'],
    ['libs/projections/src/sqlite.ts', 'better-sqlite3'],
    ['libs/commands/src/files.ts', 'node:fs'],
    ['libs/workflow/src/processes.ts', 'node:child_process'],
  ])('rejects %s importing %s', (file, banned) => {
    expect(errors[file]).toEqual([expect.stringContaining(banned)]);
  });

  it('rejects a dependency the layering does not allow (event-store → projections)', () => {
    expect(errors['libs/event-store/src/upward.ts']).toEqual([expect.stringMatching(/scope:event-store/)]);
  });

  it.each(['apps/intake/src/testTooling.ts', 'libs/sqlite/src/relativeTesting.ts'])('rejects product code (%s) importing a testing entry point', (file) => {
    expect(errors[file]).toEqual([expect.stringContaining('Test tooling is for specs only')]);
  });

  it('lets specs import a testing entry point', () => {
    expect(errors['libs/sqlite/src/usesTesting.int.spec.ts']).toEqual([]);
  });

  it('rejects a regular expression that can backtrack or move in super-linear time, and accepts a linear one', () => {
    expect(errors['libs/commands/src/backtracking.ts']).toEqual([expect.stringContaining('backtracking')]);
    expect(errors['apps/intake/src/moving.ts']).toEqual([expect.stringContaining('quadratic')]);
    expect(errors['apps/intake/src/linear.ts']).toEqual([]);
  });

  it('accepts what the layering allows (workflow → projections, zod)', () => {
    expect(errors['libs/workflow/src/allowed.ts']).toEqual([]);
  });
});
