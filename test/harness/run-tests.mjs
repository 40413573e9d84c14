#!/usr/bin/env node
// Run VS Code extension integration tests inside a real VS Code: the VS Code
// server bundled in the npm package `code-server`, its web workbench driven by
// headless Debian Chromium through playwright-core.  Nothing is downloaded.
//
// The workbench reads `extensionDevelopmentPath` / `extensionTestsPath` from
// the `payload` query parameter (the web equivalent of
// `code --extensionDevelopmentPath X --extensionTestsPath Y`); the Node.js
// (remote) extension host loads the extension under development, calls the
// test module's run(), and exits with 0/1; the workbench then calls
// window.codeAutomationExit(code), which we expose from Playwright.
//
// Usage:
//   node run-tests.mjs --extensionDevelopmentPath DIR [--extensionDevelopmentPath DIR2]
//     --extensionTestsPath FILE [--folder DIR] [--codeServer DIR] [--node BIN]
//     [--chromium BIN] [--timeout SECONDS] [--verbose] [--keep] [--screenshot FILE]
//     [--server vscode|code-server] [--installExtension VSIX_OR_DIR]... [--untrusted]
// --untrusted opens the folder in Restricted Mode (Workspace Trust on, folder not trusted).
// (The project's copy of the shared runner in /work/shared/tools/vscode-harness; the usual entry
// point is test/harness/run-integration.sh, which builds, copies the fixture workspace and calls this.)
import path from 'node:path';
import { parseArgs, runExtensionTests, HERE, UNTRUSTED_SETTINGS } from './lib.mjs';

const args = parseArgs(process.argv.slice(2));
const extDev = args.extensionDevelopmentPath || path.join(HERE, '..', '..');
const code = await runExtensionTests({
  extensionDevelopmentPath: extDev,
  extensionTestsPath: args.extensionTestsPath || path.join(HERE, '..', '..', 'out', 'test', 'integration', 'index.js'),
  folder: args.folder || args._[0],
  timeoutMs: Number(args.timeout || 180) * 1000,
  codeServerDir: args.codeServer, node: args.node, chromium: args.chromium, server: args.server,
  installExtensions: [].concat(args.installExtension || []),
  verbose: !!args.verbose || !!process.env.VERBOSE, keep: !!args.keep, screenshot: args.screenshot,
  settings: args.untrusted ? UNTRUSTED_SETTINGS : undefined,
});
process.exit(code);
