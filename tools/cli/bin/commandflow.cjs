#!/usr/bin/env node
// Runs the CLI from its bundle, dist/cli/main.js, rebuilding it first when any source is newer.
const { existsSync, readdirSync, statSync } = require('node:fs');
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const workspaceRoot = path.resolve(__dirname, '../../..');
const bundle = path.join(workspaceRoot, 'dist/cli/main.js');

function newestSource(folder) {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const file = path.join(folder, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(file));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(file).mtimeMs);
  }
  return newest;
}

const sources = ['tools/cli/src', 'libs'].map((folder) => path.join(workspaceRoot, folder));
if (!existsSync(bundle) || Math.max(...sources.map(newestSource)) > statSync(bundle).mtimeMs) {
  execFileSync(process.execPath, [path.join(workspaceRoot, 'tools/cli/bundle.mjs')], { stdio: 'inherit' });
}
require(bundle);
