// An `extensionTestsPath` module for bench/links-tree.mjs: waits for the extension to activate on
// the workspace, then for the Links view's first level (every config with its links), draws it
// through the tree provider, then waits for the full models, and writes the timings to $BRIDGE_LINKS_REPORT.
'use strict';
const fs = require('fs');
const vscode = require('vscode');

async function run() {
  const ext = vscode.extensions.getExtension('adf-sfn-bridge.adf-sfn-bridge');
  if (!ext) throw new Error('the extension is not installed');
  const api = await ext.activate();
  const { ms: firstLevelMs, cpuMs: firstLevelCpuMs } = await api.linksFirstLevel;
  const roots = api.linksTree.getChildren();
  const items = roots.map((n) => api.linksTree.getTreeItem(n));
  const links = roots.reduce((sum, n) => sum + (n.kind === 'config' ? n.linkCount : 0), 0);
  // The full models follow the outlines: they must count the same links.
  await api.links.whenLoaded();
  const fullModelLinks = api.links.links().length;
  const report = { firstLevelMs, firstLevelCpuMs, activationMs: api.activation.totalMs, configs: items.length, links, fullModelLinks, vscode: vscode.version };
  console.log(`[links-probe] ${JSON.stringify(report)}`);
  if (process.env.BRIDGE_LINKS_REPORT) fs.writeFileSync(process.env.BRIDGE_LINKS_REPORT, JSON.stringify(report));
}

module.exports = { run };
