// An `extensionTestsPath` module for bench/activation.mjs: waits until the extension has been
// activated the ordinary way (the workspace holds a bridge config), then writes what the extension
// measured about its own activation to $BRIDGE_ACTIVATION_REPORT.
'use strict';
const fs = require('fs');
const vscode = require('vscode');

const EXTENSION_ID = 'adf-sfn-bridge.adf-sfn-bridge';

async function run() {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed`);
  const wasActive = ext.isActive;
  // activate() returns the running instance when the activation event already fired.
  const api = await ext.activate();
  const report = { ...api.activation, activatedByWorkspace: wasActive, vscode: vscode.version };
  console.log(`[activation-probe] ${JSON.stringify(report)}`);
  if (process.env.BRIDGE_ACTIVATION_REPORT) fs.writeFileSync(process.env.BRIDGE_ACTIVATION_REPORT, JSON.stringify(report));
}

module.exports = { run };
