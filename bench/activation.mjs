#!/usr/bin/env node
// Activation time of the extension measured inside a real VS Code (code-server 4.100.3 = VS Code
// 1.100.3, see test/harness/): starts a fresh server RUNS times on a workspace holding a bridge
// config, lets the extension activate on `workspaceContains`, and prints what it measured about
// itself (evaluating dist/extension.js + running activate()). Prints, asserts nothing.
//   node bench/activation.mjs        (BENCH_RUNS=3; needs `npm run build` and the harness set up)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const envFile = path.join(ROOT, '.cache', 'code-server-4.100.3', 'env.sh');
if (!process.env.CODE_SERVER_DIR && fs.existsSync(envFile)) {
  for (const m of fs.readFileSync(envFile, 'utf8').matchAll(/^export (\w+)="?([^"\n]*)"?$/gm)) process.env[m[1]] = m[2];
}
if (!process.env.CODE_SERVER_DIR) {
  console.error('bench/activation: code-server is not set up. Run: bash test/harness/setup-code-server.sh');
  process.exit(2);
}
if (!fs.existsSync(path.join(ROOT, 'dist', 'extension.js'))) {
  console.error('bench/activation: dist/extension.js is missing. Run: npm run build');
  process.exit(2);
}
process.env.HARNESS_TMP ||= path.join(ROOT, '.harness-tmp');
fs.mkdirSync(process.env.HARNESS_TMP, { recursive: true });
const { runExtensionTests } = await import('../test/harness/lib.mjs');

const bundleKiB = fs.statSync(path.join(ROOT, 'dist', 'extension.js')).size / 1024;
const samples = [];
for (let i = 0; i < RUNS; i++) {
  const folder = fs.mkdtempSync(path.join(process.env.HARNESS_TMP, 'activation-ws-'));
  fs.cpSync(path.join(ROOT, 'samples'), folder, { recursive: true });
  const report = path.join(folder, '..', `${path.basename(folder)}.json`);
  process.env.BRIDGE_ACTIVATION_REPORT = report;
  // The workbench's own chatter (offline marketplace, service worker) is not the bench's business.
  const origLog = console.log;
  const origError = console.error;
  const started = Date.now();
  console.log = (...a) => { if (String(a[0]).startsWith('[activation-probe]')) origLog(...a); };
  console.error = () => {};
  const code = await runExtensionTests({
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(ROOT, 'test', 'harness', 'activation-probe.js'),
    folder,
    timeoutMs: 120000,
  });
  console.log = origLog;
  console.error = origError;
  console.log(`  run ${i + 1}: ${((Date.now() - started) / 1000).toFixed(1)} s wall time`);
  if (code === 0 && fs.existsSync(report)) samples.push(JSON.parse(fs.readFileSync(report, 'utf8')));
  else console.error(`run ${i + 1}: the probe failed (exit ${code})`);
  fs.rmSync(folder, { recursive: true, force: true });
  fs.rmSync(report, { force: true });
}
if (samples.length === 0) process.exit(1);
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const f = (x) => `${x.toFixed(1)} ms`;
console.log(`activation in VS Code ${samples[0].vscode} (code-server), dist/extension.js ${bundleKiB.toFixed(1)} KiB, ${samples.length} fresh starts:`);
console.log(`  load + activate: median ${f(med(samples.map((s) => s.totalMs)))} (runs: ${samples.map((s) => f(s.totalMs)).join(', ')})`);
console.log(`  evaluating the bundle: median ${f(med(samples.map((s) => s.loadMs)))}; activate(): median ${f(med(samples.map((s) => s.activateMs)))}`);
console.log(`  activated by workspaceContains before the probe asked: ${samples.every((s) => s.activatedByWorkspace) ? 'yes' : 'not always'}`);
console.log('  target: <= 50 ms. (Parsing the file before its first line runs is not included.)');
