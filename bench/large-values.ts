// npm run bench:large: prints figures, asserts nothing.
// `bridge lint` (the packaged CLI, a fresh process per run) on one config whose values are 1 to 15
// MB long: the time should grow with the size, not its square (it was 11 s at 2 MB and 130 s at
// 15 MB while the closest-name suggestion built a table of the two lengths).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { ms } from './stats';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'bridge.js');

function main(): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bridge-bench-large-'));
  try {
    for (const mb of [1, 2, 4, 8, 15]) {
      const file = path.join(dir, `large-${mb}.bridge.jsonc`);
      const value = 'z'.repeat(mb * 1024 * 1024);
      // An enum value (trigger) and a free string (the definition path): both checked, both quoted in messages.
      writeFileSync(file, JSON.stringify({ version: 1, links: { x: { trigger: value, stateMachine: { definition: value.slice(0, 4096) } } } }));
      const t = performance.now();
      const run = spawnSync(process.execPath, [BIN, 'lint', '--format', 'json', file], { encoding: 'utf8', maxBuffer: 256 << 20 });
      const wall = performance.now() - t;
      console.log(`bridge lint of a config with a ${String(mb).padStart(2)} MB value: ${ms(wall)} wall (exit ${run.status}, ${(run.stdout.length / 1024 / 1024).toFixed(1)} MB of output)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
