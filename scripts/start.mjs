#!/usr/bin/env node
// `npm start`: the extension in a real VS Code in the browser, on the sample workspace, with the
// sandbox as the run target. Builds, installs code-server once (test/harness/setup-code-server.sh,
// cached under .cache/), starts it on 127.0.0.1 with this checkout loaded as the extension under
// development, and prints the address to open. Ctrl+C stops it (and the sandbox it started).
//   npm start [-- --port N] [-- --folder DIR]
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const argv = process.argv.slice(2);
const option = (name) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const VER = process.env.CODE_SERVER_VERSION || '4.100.3';
const cache = path.join(ROOT, '.cache', `code-server-${VER}`);
const folder = path.resolve(option('folder') || path.join(ROOT, 'samples'));

execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
if (!fs.existsSync(path.join(cache, 'env.sh'))) {
  console.log('[start] installing a VS Code (code-server) once, under .cache/ …');
  execFileSync('bash', [path.join(ROOT, 'test', 'harness', 'setup-code-server.sh'), cache, VER], { stdio: 'inherit' });
}
for (const m of fs.readFileSync(path.join(cache, 'env.sh'), 'utf8').matchAll(/^export (\w+)="?([^"\n]*)"?$/gm)) process.env[m[1]] ??= m[2];
process.env.HARNESS_TMP ||= path.join(ROOT, '.harness-tmp');
fs.mkdirSync(process.env.HARNESS_TMP, { recursive: true });
const { startCodeServer, workbenchUrl } = await import('../test/harness/lib.mjs');

const server = await startCodeServer({ port: option('port'), settings: { 'bridge.target': 'sandbox', 'workbench.startupEditor': 'none' } });
const url = workbenchUrl(server, { folder, payload: [['extensionDevelopmentPath', server.remoteUri(ROOT)]] });
console.log(`\nADF–Step Functions Bridge in VS Code, on ${path.relative(process.cwd(), folder) || folder}:\n\n  ${url}\n`);
console.log('Open the Bridge view in the activity bar, pick a link and press its Run button; the events land in the');
console.log('Output panel "Bridge Runs". Ctrl+C stops the server.\n');
if (process.env.DISPLAY && !process.env.CI) {
  try {
    spawn('xdg-open', [url], { stdio: 'ignore', detached: true }).on('error', () => {}).unref();
  } catch {
    // No desktop opener: the address above is enough.
  }
}
const stop = async () => {
  await server.stop(false);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
