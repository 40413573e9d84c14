#!/usr/bin/env node
// How soon the Links view shows its first level in a real VS Code (code-server 4.100.3, see
// test/harness/) on a workspace of 200 links (4 configs, each link with its pipeline, ASL,
// payload and mocks: bench/workspace.ts): the ms from the end of activate() until every config
// is listed with its links counted (and the CPU time spent meanwhile); checks that the full models
// count the same links. Fresh server per run; prints, asserts nothing.
//   npm run bench:links        (BENCH_RUNS=3; needs `npm run build && npm run compile`)
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const LINKS = 200;
const CONFIGS = 4;
const envFile = path.join(ROOT, '.cache', 'code-server-4.100.3', 'env.sh');
if (!process.env.CODE_SERVER_DIR && fs.existsSync(envFile)) {
  for (const m of fs.readFileSync(envFile, 'utf8').matchAll(/^export (\w+)="?([^"\n]*)"?$/gm)) process.env[m[1]] = m[2];
}
if (!process.env.CODE_SERVER_DIR) {
  console.error('bench/links-tree: code-server is not set up. Run: bash test/harness/setup-code-server.sh');
  process.exit(2);
}
for (const need of ['dist/extension.js', 'out/bench/workspace.js']) {
  if (!fs.existsSync(path.join(ROOT, need))) {
    console.error(`bench/links-tree: ${need} is missing. Run: npm run build && npm run compile`);
    process.exit(2);
  }
}
process.env.HARNESS_TMP ||= path.join(ROOT, '.harness-tmp');
fs.mkdirSync(process.env.HARNESS_TMP, { recursive: true });
const { runExtensionTests } = await import('../test/harness/lib.mjs');
const { generateWorkspace } = createRequire(import.meta.url)(path.join(ROOT, 'out', 'bench', 'workspace.js'));

const samples = [];
for (let i = 0; i < RUNS; i++) {
  const { root } = generateWorkspace(LINKS, CONFIGS);
  const report = `${root}.json`;
  process.env.BRIDGE_LINKS_REPORT = report;
  const origLog = console.log;
  const origError = console.error;
  console.log = (...a) => { if (String(a[0]).startsWith('[links-probe]')) origLog(...a); };
  console.error = () => {};
  const code = await runExtensionTests({ extensionDevelopmentPath: ROOT, extensionTestsPath: path.join(ROOT, 'test', 'harness', 'links-probe.js'), folder: root, timeoutMs: 180000 });
  console.log = origLog;
  console.error = origError;
  if (code === 0 && fs.existsSync(report)) samples.push(JSON.parse(fs.readFileSync(report, 'utf8')));
  else console.error(`run ${i + 1}: the probe failed (exit ${code})`);
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(report, { force: true });
}
if (samples.length === 0) process.exit(1);
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const f = (x) => `${x.toFixed(1)} ms`;
console.log(`Links view, first level, ${samples[0].links} links in ${samples[0].configs} configs, VS Code ${samples[0].vscode} (code-server), ${samples.length} fresh starts:`);
console.log(`  after activate() returned: median ${f(med(samples.map((s) => s.firstLevelMs)))} (runs: ${samples.map((s) => f(s.firstLevelMs)).join(', ')})`);
console.log(`  CPU time of the extension host meanwhile: median ${f(med(samples.map((s) => s.firstLevelCpuMs)))} (the rest is waiting for a core)`);
const mismatch = samples.filter((s) => s.links !== s.fullModelLinks || s.links !== LINKS);
if (mismatch.length) console.log(`  WRONG COUNT: the first level listed ${mismatch.map((s) => s.links).join(', ')} links, the full models ${mismatch.map((s) => s.fullModelLinks).join(', ')} (expected ${LINKS})`);
console.log(`  activation itself (load + activate): median ${f(med(samples.map((s) => s.activationMs)))}`);
console.log('  target: <= 100 ms after activation.');
