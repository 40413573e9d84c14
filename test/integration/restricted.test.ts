// Runs only in the harness's second pass (BRIDGE_RESTRICTED=1), where the workspace is opened in
// Restricted Mode: package.json declares capabilities.untrustedWorkspaces.supported = true, so
// everything the extension does must work without trust.
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  assertEditsStayUnsaved,
  EXTENSION_ID,
  activateExtension,
  codeOf,
  completionLabel,
  copyFixture,
  eventually,
  hasCode,
  inWorkspace,
  lacksCode,
  openEditor,
  revertAndCloseAll,
  waitForDiagnostics,
} from './helpers';

const PLANTED = ['unprotected-prod', 'region-mismatch', 'missing-throttle', 'account-mismatch', 'correlation-parameter-missing', 'partition-mismatch', 'unknown-property', 'missing-property'];

suite('Restricted mode (untrusted workspace)', () => {
  suiteSetup(function () {
    if (process.env.BRIDGE_RESTRICTED !== '1') this.skip();
    assertEditsStayUnsaved();
  });
  teardown(revertAndCloseAll);

  test('the workspace is untrusted and the extension activated by itself', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false, 'the harness opened the folder in Restricted Mode');
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'installed');
    // Activated by workspaceContains, not by the test.
    await eventually(() => (ext.isActive ? true : undefined), 'the extension to activate on the workspace', 20_000);
  });

  test('the workspace scan shows the planted problems without opening the file', async () => {
    const uri = inWorkspace('broken.bridge.jsonc');
    const list = await waitForDiagnostics(uri, (l) => PLANTED.every((c) => hasCode(c)(l)), 'all planted codes');
    for (const d of list) {
      assert.strictEqual(d.source, 'bridge');
      assert.ok(typeof d.code === 'object' && d.code.target instanceof vscode.Uri, `${codeOf(d)} links to its rule`);
    }
  });

  test('unsaved edits revalidate, here and across files', async () => {
    const uri = inWorkspace('typing.bridge.jsonc');
    const editor = await openEditor(uri);
    await waitForDiagnostics(uri, (l) => l.length === 0, 'a clean start');
    const line = editor.document.getText().split('\n').findIndex((l) => l.includes('"region": "eu-west-1"'));
    const character = editor.document.lineAt(line).text.indexOf('eu-west-1') + 'eu-west-1'.length;
    assert.ok(await editor.edit((b) => b.insert(new vscode.Position(line, character), 'x9')));
    await waitForDiagnostics(uri, hasCode('invalid-value'), 'invalid-value for the typed region');
    await vscode.commands.executeCommand('undo');
    await waitForDiagnostics(uri, (l) => l.length === 0, 'clean again after undo');

    const config = inWorkspace('crossfile.bridge.jsonc');
    const pipeline = await openEditor(inWorkspace('adf/pipeline/CrossFile.json'));
    const at = pipeline.document.getText().indexOf('"CallGateway"') + 1;
    assert.ok(await pipeline.edit((b) => b.replace(new vscode.Range(pipeline.document.positionAt(at), pipeline.document.positionAt(at + 11)), 'Renamed')));
    await waitForDiagnostics(config, hasCode('activity-not-found'), 'activity-not-found from the unsaved pipeline');
    await vscode.commands.executeCommand('undo');
    await waitForDiagnostics(config, lacksCode('activity-not-found'), 'activity-not-found to go');
  });

  test('quick fixes are offered and apply', async () => {
    const uri = await copyFixture('broken.bridge.jsonc', 'restricted-fix.bridge.jsonc');
    const editor = await openEditor(uri);
    const list = await waitForDiagnostics(uri, hasCode('unknown-property'), 'unknown-property');
    const d = list.find((x) => codeOf(x) === 'unknown-property')!;
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
    const fix = actions.find((a) => /Rename to "payloads"/.test(a.title));
    assert.ok(fix?.edit, `the rename is offered; got ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    await waitForDiagnostics(uri, lacksCode('unknown-property'), 'unknown-property to go');
    assert.ok(editor.document.getText().includes('"payloads": []'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.workspace.fs.delete(uri);
  });

  test('every contributed command is registered, and Validate Workspace runs', async () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: { command: string }[] } };
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepStrictEqual(pkg.contributes.commands.filter((c) => !registered.has(c.command)).map((c) => c.command), []);
    const summary = await vscode.commands.executeCommand<{ configs: number; errors: number }>('bridge.validateWorkspace');
    assert.ok(summary && summary.configs > 0 && summary.errors > 0, `a summary: ${JSON.stringify(summary)}`);
  });

  test("the schema's completion and hover work", async () => {
    const uri = inWorkspace('typing.bridge.jsonc');
    const editor = await openEditor(uri);
    const text = editor.document.getText();
    const inAws = editor.document.positionAt(text.indexOf('"aws": { ') + '"aws": { '.length);
    const labels = await eventually(async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, inAws);
      const l = (list?.items ?? []).map(completionLabel);
      return l.includes('partition') ? l : undefined;
    }, 'completion of aws keys', 30_000);
    assert.ok(labels.includes('profile'));
    const at = editor.document.positionAt(text.indexOf('"repoRoot"') + 2);
    const hover = await eventually(async () => {
      const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, at)) ?? [];
      const t = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      return /pipeline\//.test(t) ? t : undefined;
    }, 'the repoRoot hover', 20_000);
    assert.match(hover, /pipeline\//);
  });

  test('runs are refused (nothing starts, no sandbox), while the Links view still lists the links', async () => {
    const api = await activateExtension();
    const config = inWorkspace('samples/analytics.bridge.jsonc').fsPath;
    const result = await vscode.commands.executeCommand<{ status: string; correlationId: string; reason?: string }>('bridge.runLink', { config, link: 'nightly-retrain', target: 'sandbox' });
    assert.strictEqual(result?.status, 'Refused', JSON.stringify(result));
    assert.match(result.reason ?? '', /not trusted|Restricted Mode/);
    assert.ok(api.runs.get(result.correlationId)?.lines.every((l) => l.includes(`[${result.correlationId}]`)), 'logged under its correlation id');
    const side = await api.runSide();
    assert.strictEqual(side.sandbox.running, false, 'no sandbox was started');
    await api.links.whenLoaded();
    const node = api.links.roots().find((n) => n.kind === 'config' && n.path === config);
    assert.ok(node, 'the samples config is listed');
    assert.strictEqual(api.links.children(node).filter((c) => c.kind === 'link').length, 3);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(config));
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)) ?? [];
    assert.deepStrictEqual(lenses.filter((l) => l.command?.command === 'bridge.runLink'), [], 'no Run lenses where runs are off');
  });
});
