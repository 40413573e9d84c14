// Runs every compiled unit test (out/test/unit/**/*.test.js) with node's test runner.
// Node 20's runner takes no globs, so the files are listed here. Extra arguments narrow the run:
//   node scripts/run-unit-tests.mjs config cli     (only folders/files whose path contains a word)
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = 'out/test/unit';
const filters = process.argv.slice(2);
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else if (name.endsWith('.test.js') && (!filters.length || filters.some((f) => full.includes(f)))) files.push(full);
  }
};
try {
  walk(root);
} catch {
  console.error(`No compiled tests under ${root}: run "npm run compile" first.`);
  process.exit(2);
}
if (!files.length) {
  console.error('No unit test files matched.');
  process.exit(2);
}
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
