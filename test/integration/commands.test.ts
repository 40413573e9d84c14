import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { parse } from 'jsonc-parser';
import { BRIDGE_COMMANDS } from '../../src/extension/commands';
import { DISCOVER_COMMANDS } from '../../src/extension/discover';
import { EXTENSION_ID, activateExtension, bridgeDiagnostics, describeDiagnostics, inWorkspace, revertAndCloseAll } from './helpers';

/** Contributed commands registered outside the command tables (the Discover view's are checked with the table below). */
const REGISTERED_ELSEWHERE = ['bridge.showTimeline'];

interface Contributed {
  command: string;
  title: string;
  category?: string;
}

suite('Commands and activation', () => {
  suiteSetup(async () => {
    await activateExtension();
  });
  teardown(revertAndCloseAll);

  test('every contributed command is registered at run time, and every registered one contributed', async () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: Contributed[] } };
    const contributed = pkg.contributes.commands;
    assert.ok(contributed.length >= 2, 'commands are contributed');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c.command)).map((c) => c.command);
    assert.deepStrictEqual(missing, [], 'contributed but not registered');
    for (const c of contributed) assert.strictEqual(c.category, 'Bridge', `${c.command} is in the Bridge category`);
    const menus = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { menus?: Record<string, { command: string }[]> } }).contributes.menus ?? {};
    const inMenus = Object.values(menus).flat().map((m) => m.command);
    const unknown = inMenus.filter((c) => !contributed.some((x) => x.command === c) || !registered.has(c));
    assert.deepStrictEqual(unknown, [], 'every menu item names a contributed, registered command');
    // The command table, plus the Discover view's commands (registered with the view, src/extension/discover).
    const table = [...BRIDGE_COMMANDS.map((c) => c.id), ...DISCOVER_COMMANDS].sort();
    assert.deepStrictEqual(table, contributed.map((c) => c.command).filter((c) => !REGISTERED_ELSEWHERE.includes(c)).sort(), 'the command tables and package.json agree');
  });

  test('Validate Workspace validates every config and sums up what the Problems panel shows', async () => {
    const summary = await vscode.commands.executeCommand<{ configs: number; files: number; errors: number; warnings: number }>('bridge.validateWorkspace');
    assert.ok(summary, 'the command returns its summary');
    const configs = (fs.readdirSync(inWorkspace('').fsPath, { recursive: true }) as string[]).filter((n) => /\.bridge\.jsonc?$/.test(n) && !/node_modules|\.git[\\/]/.test(n));
    assert.strictEqual(summary.configs, configs.length, `one per config in the workspace: ${configs.join(', ')}`);
    let errors = 0;
    let warnings = 0;
    let files = 0;
    for (const [, list] of vscode.languages.getDiagnostics()) {
      const mine = list.filter((d) => d.source === 'bridge');
      if (mine.length) files++;
      errors += mine.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
      warnings += mine.filter((d) => d.severity === vscode.DiagnosticSeverity.Warning).length;
    }
    assert.deepStrictEqual({ files: summary.files, errors: summary.errors, warnings: summary.warnings }, { files, errors, warnings });
    assert.ok(summary.errors > 0 && summary.warnings > 0, 'the fixture has both');
  });

  test('New Bridge Config writes a template with one link per trigger that validates cleanly', async () => {
    const api = await activateExtension();
    const target = inWorkspace('made-by-command.jsonc');
    const created = await vscode.commands.executeCommand<vscode.Uri>('bridge.newConfig', target);
    assert.ok(created, 'returns the new file');
    assert.ok(created.path.endsWith('/made-by-command.bridge.jsonc'), `named as a bridge config: ${created.path}`);
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), created.toString(), 'opened');
    const config = parse(vscode.window.activeTextEditor!.document.getText()) as { links: Record<string, { trigger: string }> };
    assert.deepStrictEqual(Object.values(config.links).map((l) => l.trigger).sort(), ['adf-to-sfn', 's3-to-sfn', 'sfn-to-adf']);
    await api.validator.idle();
    assert.ok(api.validator.index.has(created.fsPath), 'validated');
    assert.deepStrictEqual(bridgeDiagnostics(created), [], `no problems:\n    ${describeDiagnostics(bridgeDiagnostics(created))}`);
    // Creating it again must not overwrite the user's file.
    const again = await vscode.commands.executeCommand<vscode.Uri | undefined>('bridge.newConfig', created);
    assert.strictEqual(again, undefined, 'refused: the file exists');
    await vscode.workspace.fs.delete(created);
  });

  test('activation is declared cheap and its time is reported', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const pkg = ext.packageJSON as { activationEvents: string[]; capabilities: { untrustedWorkspaces: { supported: boolean } } };
    assert.ok(!pkg.activationEvents.includes('*'), 'never *');
    assert.ok(!pkg.activationEvents.includes('onStartupFinished'), 'not on every start-up');
    assert.strictEqual(pkg.capabilities.untrustedWorkspaces.supported, true, 'works in restricted mode');
    const api = await activateExtension();
    assert.ok(Number.isFinite(api.activation.totalMs) && api.activation.totalMs > 0, 'measured');
    console.log(`    activation: ${api.activation.totalMs.toFixed(1)} ms (load + activate), activate() ${api.activation.activateMs.toFixed(1)} ms`);
    if (process.env.BRIDGE_ACTIVATION_REPORT) fs.writeFileSync(process.env.BRIDGE_ACTIVATION_REPORT, JSON.stringify(api.activation));
  });
});
