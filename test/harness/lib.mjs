// Shared helpers: start code-server (real VS Code server + web workbench) and
// headless Debian Chromium via playwright-core.  No network access needed.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const { chromium } = require('playwright-core');

export const HERE = path.dirname(new URL(import.meta.url).pathname);

/** Parses `--key value`, `--key=value` and bare flags; repeated keys become arrays; positionals go to `_`. */
export function parseArgs(argv) {
  const out = { _: [] };
  const put = (k, v) => {
    if (k in out) out[k] = [].concat(out[k], v); else out[k] = v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) { out._.push(a); continue; }
    const eq = a.indexOf('=');
    if (eq > 0) { put(a.slice(2, eq), a.slice(eq + 1)); continue; }
    const key = a.slice(2);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) put(key, true);
    else { put(key, next); i++; }
  }
  return out;
}

export function log(...a) { console.log('[harness]', ...a); }

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
    srv.on('error', reject);
  });
}

async function waitForHttp(url, ms, isDead) {
  const end = Date.now() + ms;
  let lastErr;
  while (Date.now() < end) {
    if (isDead()) throw new Error('code-server exited during startup');
    try { const r = await fetch(url); if (r.ok) return; lastErr = new Error('HTTP ' + r.status); }
    catch (e) { lastErr = e; }
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer on ${url}: ${lastErr}`);
}

export function resolveCodeServer(opt) {
  const dir = path.resolve(opt || process.env.CODE_SERVER_DIR || path.join(HERE, '..', '..', '.cache', 'code-server-4.100.3', 'cs', 'node_modules', 'code-server'));
  const entry = path.join(dir, 'out', 'node', 'entry.js');
  if (!fs.existsSync(entry)) throw new Error(`code-server not found at ${entry} (set CODE_SERVER_DIR)`);
  const version = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'))).version;
  const vscodeVersion = JSON.parse(fs.readFileSync(path.join(dir, 'lib', 'vscode', 'package.json'))).version;
  return { dir, entry, version, vscodeVersion };
}

/**
 * Start a VS Code server on 127.0.0.1 with a fresh user-data and extensions dir.
 * opts.server: 'vscode' (default) runs the VS Code server shipped inside code-server
 *   (lib/vscode/out/server-main.js) directly, with --enable-smoke-test-driver, which
 *   newer VS Code (seen in 1.139) requires before it honours extensionDevelopmentPath /
 *   extensionTestsPath from the URL payload; code-server's own CLI rejects that flag.
 *   'code-server' runs code-server's CLI (works for the payload on 4.100.x / VS Code 1.100).
 * opts: { codeServerDir, node, port, verbose, settings, installExtensions: [vsix|dir|id], extensionsDir, env }
 */
export async function startCodeServer(opts = {}) {
  const t0 = Date.now();
  const cs = resolveCodeServer(opts.codeServerDir);
  const mode = opts.server || process.env.HARNESS_SERVER || 'vscode';
  const nodeBin = opts.node || process.env.CODE_SERVER_NODE || process.execPath;
  const port = Number(opts.port) || await freePort();
  const tmpRoot = fs.mkdtempSync(path.join(process.env.HARNESS_TMP || os.tmpdir(), 'vscode-test-'));
  const userDataDir = path.join(tmpRoot, 'user-data');
  const extensionsDir = opts.extensionsDir || path.join(tmpRoot, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(path.join(userDataDir, 'data', 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.mkdirSync(path.join(tmpRoot, 'tmp'), { recursive: true });
  const settings = JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'security.workspace.trust.enabled': false,
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'git.enabled': false,
    'chat.disableAIFeatures': true,
    // The web workbench defaults to saving 1 s after an edit (desktop VS Code: off). The tests edit
    // buffers and expect them to stay unsaved; under load a step takes longer than that, the edit
    // lands on disk, and a later undo or revert leaves the fixture file changed for the next tests.
    'files.autoSave': 'off',
    ...(opts.settings || {}),
  }, null, 2);
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), settings);
  fs.writeFileSync(path.join(userDataDir, 'data', 'User', 'settings.json'), settings);
  // Keep code-server's own config/state (config.yaml, coder.json) and VS Code's
  // IPC sockets (os.tmpdir()) out of $HOME and /tmp.
  const env = { ...process.env, ...(opts.env || {}), NODE_OPTIONS: '',
    TMPDIR: path.join(tmpRoot, 'tmp'),
    XDG_CONFIG_HOME: path.join(tmpRoot, 'xdg-config'), XDG_DATA_HOME: path.join(tmpRoot, 'xdg-data'),
    XDG_CACHE_HOME: path.join(tmpRoot, 'xdg-cache') };  // @vscode/deviceid writes $XDG_CACHE_HOME/Microsoft
  let entry, common, serveArgs, ready;
  if (mode === 'code-server') {
    entry = cs.entry;
    common = ['--config', path.join(tmpRoot, 'config.yaml'), '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
    serveArgs = ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      '--disable-getting-started-override', '--ignore-last-opened', '--log', opts.verbose ? 'trace' : 'info'];
    ready = '/healthz';
  } else {
    entry = path.join(cs.dir, 'lib', 'vscode', 'out', 'server-main.js');
    // The server keeps user settings in <user-data-dir>/data/User (hence the second settings.json).
    common = ['--user-data-dir', userDataDir, '--server-data-dir', path.join(tmpRoot, 'server-data'), '--extensions-dir', extensionsDir];
    serveArgs = ['--host', '127.0.0.1', '--port', String(port), '--without-connection-token',
      '--accept-server-license-terms', '--enable-smoke-test-driver', '--telemetry-level', 'off',
      ...(opts.verbose ? ['--log', 'trace'] : [])];
    ready = '/';
  }
  for (const ext of opts.installExtensions || []) {
    const ti = Date.now();
    const out = execFileSync(nodeBin, [entry, ...common, '--install-extension', ext, '--force'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    log(`installed ${ext} in ${((Date.now() - ti) / 1000).toFixed(1)}s: ${out.trim().split('\n').pop()}`);
  }
  const args = [entry, ...common, ...serveArgs, ...(opts.extraArgs || [])];
  log(`starting ${mode === 'code-server' ? 'code-server' : 'VS Code server from code-server'} ${cs.version} (VS Code ${cs.vscodeVersion}) on 127.0.0.1:${port} with node ${nodeBin}`);
  const proc = spawn(nodeBin, args, { stdio: ['ignore', 'pipe', 'pipe'], env, detached: true });
  const output = [];
  const sink = (d) => { const s = d.toString(); output.push(s); if (opts.verbose) process.stdout.write('[server] ' + s); };
  proc.stdout.on('data', sink);
  proc.stderr.on('data', sink);
  let dead = false;
  proc.on('exit', () => { dead = true; });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${base}${ready}`, 90000, () => dead);
  } catch (e) {
    process.stdout.write(output.join(''));
    throw e;
  }
  log(`server ready after ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return {
    cs, mode, port, base, authority: `127.0.0.1:${port}`, tmpRoot, userDataDir, extensionsDir, output,
    remoteUri: (p) => `vscode-remote://127.0.0.1:${port}${p}`,
    async stop(keep) {
      try { process.kill(-proc.pid, 'SIGTERM'); } catch {}
      await new Promise(r => { if (dead) return r(); proc.on('exit', r); setTimeout(r, 5000); });
      try { process.kill(-proc.pid, 'SIGKILL'); } catch {}
      if (!keep) { try { fs.rmSync(tmpRoot, { recursive: true, force: true }); } catch {} }
    },
  };
}

export async function launchBrowser(opts = {}) {
  const cache = path.join(process.env.HARNESS_TMP || os.tmpdir(), 'chromium-xdg-cache');
  return chromium.launch({
    env: { ...process.env, XDG_CACHE_HOME: cache },  // keeps Chromium's dconf cache out of $HOME
    executablePath: opts.chromium || process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic',
      '--disable-features=Translate,OptimizationHints,MediaRouter'],
  });
}

/**
 * User settings that open the folder in Restricted Mode: Workspace Trust on (the defaults above
 * turn it off), no start-up trust prompt (a modal would wait for a click), and a fresh profile
 * trusts nothing, so the folder is untrusted.
 */
export const UNTRUSTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.untrustedFiles': 'open',
  'security.workspace.trust.emptyWindow': false,
};

/** Build the workbench URL: folder (absolute path on the server) and payload entries. */
export function workbenchUrl(server, { folder, payload } = {}) {
  let url = `${server.base}/?`;
  url += folder ? `folder=${encodeURIComponent(folder)}` : 'ew=true';
  if (payload && payload.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/**
 * Run an extension test module (the `extensionTestsPath` of `code --extensionTestsPath`)
 * in the Node.js extension host of a real VS Code (code-server), returning the exit code.
 * opts: { extensionDevelopmentPath: string|string[], extensionTestsPath, folder?, timeoutMs?,
 *         codeServerDir?, node?, chromium?, verbose?, keep?, screenshot?, extensionsDir?, env?,
 *         settings? (user settings on top of the defaults, e.g. UNTRUSTED_SETTINGS) }
 */
export async function runExtensionTests(opts) {
  const util = await import('node:util');
  const t0 = Date.now();
  const devPaths = [].concat(opts.extensionDevelopmentPath || []).map((p) => path.resolve(p));
  const testsPath = path.resolve(opts.extensionTestsPath);
  const timeoutMs = opts.timeoutMs || 180000;
  let server, browser, exitCode = 1;
  try {
    server = await startCodeServer({ codeServerDir: opts.codeServerDir, node: opts.node, verbose: opts.verbose,
      extensionsDir: opts.extensionsDir, env: opts.env, server: opts.server, installExtensions: opts.installExtensions,
      settings: opts.settings });
    browser = await launchBrowser({ chromium: opts.chromium });
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    let resolveExit;
    const done = new Promise((r) => { resolveExit = r; });
    // Hooks the workbench calls in automation mode (see IAutomatedWindow in VS Code).
    await page.exposeFunction('codeAutomationLog', (type, a) => {
      const text = Array.isArray(a) ? util.format(...a) : String(a);
      if (type === 'error') console.error(text); else console.log(text);
    });
    await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
    page.on('console', (msg) => { if (opts.verbose) console.log(`[browser:${msg.type()}] ${msg.text()}`); });
    page.on('pageerror', (err) => console.log('[browser:pageerror]', err.message));
    const payload = [
      ...devPaths.map((p) => ['extensionDevelopmentPath', server.remoteUri(p)]),
      ['extensionTestsPath', server.remoteUri(testsPath)],
    ];
    const url = workbenchUrl(server, { folder: opts.folder && path.resolve(opts.folder), payload });
    log('opening', url);
    await page.goto(url);
    const result = await Promise.race([done, new Promise((r) => setTimeout(() => r('timeout'), timeoutMs))]);
    if (opts.screenshot) { try { await page.screenshot({ path: opts.screenshot }); } catch {} }
    if (result === 'timeout') log(`TIMEOUT after ${timeoutMs / 1000}s waiting for the extension host to finish the tests`);
    else { exitCode = Number(result); log(`extension host exited with code ${exitCode}`); }
  } catch (e) {
    log('ERROR', (e && e.stack) || e);
  } finally {
    if (server && exitCode !== 0 && !opts.verbose) { log('---- code-server output ----'); process.stdout.write(server.output.join('')); }
    try { if (browser) await browser.close(); } catch {}
    if (server) await server.stop(!!opts.keep);
    log(`total ${((Date.now() - t0) / 1000).toFixed(1)}s, exit ${exitCode}`);
  }
  return exitCode;
}
