// Writes src/core/asl/generated/validators.ts: asl-validator's schemas compiled to standalone
// code at build time (see src/core/asl/compile-schemas.ts), so no lint run compiles them.
// Run by `npm run build` and `npm run compile`; rewrites the file only when its text changes.
// test/unit/asl/precompiled.test.ts checks the generated code against the formats it calls.
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const target = path.join(root, 'src', 'core', 'asl', 'generated', 'validators.ts');

export async function generateAslValidators() {
  // compile-schemas.ts is TypeScript: bundle it in memory (dependencies stay in node_modules) and run it.
  const out = await esbuild.build({
    entryPoints: [path.join(root, 'src', 'core', 'asl', 'compile-schemas.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    write: false,
    logLevel: 'warning',
  });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', out.outputFiles[0].text)(module, module.exports, createRequire(target));
  const source = module.exports.standaloneAslValidators();
  let current;
  try { current = readFileSync(target, 'utf8'); } catch { current = undefined; }
  if (current === source) return false;
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, source);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const written = await generateAslValidators();
  if (written) console.log('wrote src/core/asl/generated/validators.ts');
}
