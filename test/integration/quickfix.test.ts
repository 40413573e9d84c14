import * as assert from 'assert';
import * as vscode from 'vscode';
import { getNodeValue, parseTree, findNodeAtLocation } from 'jsonc-parser';
import {
  assertEditsStayUnsaved,
  activateExtension,
  codeOf,
  commentsOf,
  copyFixture,
  describeDiagnostics,
  hasCode,
  inWorkspace,
  lacksCode,
  openEditor,
  revertAndCloseAll,
  waitForDiagnostics,
} from './helpers';

/** The value at `path` in a JSONC text. */
function valueAt(text: string, path: (string | number)[]): unknown {
  const root = parseTree(text, [], { allowTrailingComma: true });
  const node = root && findNodeAtLocation(root, path);
  // Round-trip: getNodeValue builds objects without a prototype, which deepStrictEqual rejects.
  return node ? JSON.parse(JSON.stringify(getNodeValue(node))) : undefined;
}

/** Trailing commas (`,` before `}` or `]`, comments allowed between) in a text. */
function trailingCommas(text: string): number {
  return (text.match(/,(\s|\/\/[^\n]*)*[}\]]/g) ?? []).length;
}

/**
 * Opens a fresh copy of broken.bridge.jsonc, asks VS Code for the quick fixes of the diagnostic
 * with `code`, applies the one offered for it, and returns the text before and after.
 */
async function applyQuickFix(code: string, copyName: string, expectedTitle: RegExp): Promise<{ before: string; after: string; uri: vscode.Uri }> {
  const uri = await copyFixture('broken.bridge.jsonc', copyName);
  const editor = await openEditor(uri);
  const list = await waitForDiagnostics(uri, hasCode(code), code);
  const diagnostic = list.find((d) => codeOf(d) === code)!;
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
  // (The command's results do not carry `diagnostics`, so the fix is recognised by its title.)
  const mine = actions.filter((a) => expectedTitle.test(a.title));
  if (mine.length !== 1) {
    // Say whether the extension still holds the fix data behind the diagnostic shown.
    const api = await activateExtension();
    const r = diagnostic.range;
    const stored = api.validator.find(uri.fsPath, code, { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } }, diagnostic.message);
    assert.fail(`one quick fix for ${code}; got ${JSON.stringify(actions.map((a) => a.title))}; stored diagnostic: ${JSON.stringify(stored)}`);
  }
  const action = mine[0];
  assert.ok(action.kind && vscode.CodeActionKind.QuickFix.contains(action.kind), 'kind quickfix');
  assert.strictEqual(action.isPreferred, true, 'preferred');
  assert.ok(action.edit, 'carries its edit');
  const before = editor.document.getText();
  assert.ok(await vscode.workspace.applyEdit(action.edit));
  await waitForDiagnostics(uri, lacksCode(code), `${code} to go after the fix`);
  const after = editor.document.getText();
  assert.deepStrictEqual(commentsOf(after), commentsOf(before), 'every comment kept');
  assert.ok(trailingCommas(after) >= trailingCommas(before) - 1, 'trailing commas kept');
  return { before, after, uri };
}

suite('Quick fixes', () => {
  suiteSetup(async () => {
    assertEditsStayUnsaved();
    await activateExtension();
  });
  teardown(revertAndCloseAll);

  test('unknown-property: rename to the suggested key', async () => {
    const { after } = await applyQuickFix('unknown-property', 'qf-unknown.bridge.jsonc', /Rename to "payloads"/);
    assert.deepStrictEqual(valueAt(after, ['links', 'start-export', 'payloads']), []);
    assert.strictEqual(valueAt(after, ['links', 'start-export', 'paylods']), undefined);
    assert.ok(after.includes('"payloads": [], // unknown-property'), 'the rest of the line untouched');
  });

  test('missing-property: insert a skeleton', async () => {
    const { after } = await applyQuickFix('missing-property', 'qf-missing.bridge.jsonc', /Add missing "stateMachine"/);
    assert.deepStrictEqual(valueAt(after, ['links', 'landing', 'stateMachine']), { arn: '' });
  });

  test('missing-throttle: insert a throttle block', async () => {
    const { after, uri } = await applyQuickFix('missing-throttle', 'qf-throttle.bridge.jsonc', /Add a throttle block/);
    assert.deepStrictEqual(valueAt(after, ['links', 'export-orders', 'gateway', 'throttle']), { rateLimit: 10, burstLimit: 20 });
    assert.strictEqual(valueAt(after, ['links', 'export-orders', 'gateway', 'audience']), 'api://bridge-export-orders');
    const list = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'bridge');
    assert.ok(!list.some((d) => codeOf(d) === 'invalid-value' || codeOf(d) === 'json-syntax'), `the inserted block is valid:\n    ${describeDiagnostics(list)}`);
  });

  test('unprotected-prod: add "protected": true', async () => {
    const { after } = await applyQuickFix('unprotected-prod', 'qf-prod.bridge.jsonc', /Mark environment "prod" as protected/);
    assert.deepStrictEqual(valueAt(after, ['environments', 'prod']), { protected: true });
    assert.deepStrictEqual(valueAt(after, ['environments', 'dev']), {});
  });

  test('region-mismatch: use the declared region', async () => {
    const { after } = await applyQuickFix('region-mismatch', 'qf-region.bridge.jsonc', /declared region.*eu-west-1/);
    assert.strictEqual(valueAt(after, ['links', 'export-orders', 'stateMachine', 'arn']), 'arn:aws:states:eu-west-1:123456789012:stateMachine:Orders');
  });

  test('account-mismatch: use the declared account', async () => {
    const { after } = await applyQuickFix('account-mismatch', 'qf-account.bridge.jsonc', /declared account.*123456789012/);
    assert.strictEqual(valueAt(after, ['links', 'export-orders', 'identity', 'awsRoleArn']), 'arn:aws:iam::123456789012:role/export-orders');
  });

  test('partition-mismatch: use the declared partition', async () => {
    const { after } = await applyQuickFix('partition-mismatch', 'qf-partition.bridge.jsonc', /declared partition/);
    assert.strictEqual(valueAt(after, ['links', 'start-export', 'stateMachine', 'arn']), 'arn:aws:states:eu-west-1:123456789012:stateMachine:StartExport');
  });

  test('correlation-parameter-missing: declare the parameter in the pipeline (another file)', async () => {
    const config = inWorkspace('declare.bridge.jsonc');
    const pipeline = inWorkspace('adf/pipeline/Declare.json');
    await openEditor(config);
    const list = await waitForDiagnostics(config, hasCode('correlation-parameter-missing'), 'correlation-parameter-missing');
    const diagnostic = list.find((d) => codeOf(d) === 'correlation-parameter-missing')!;
    const actions =
      (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', config, diagnostic.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
    const action = actions.find((a) => /Declare parameter/.test(a.title));
    assert.ok(action?.edit, `a fix; got ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.match(action.title, /Declare parameter "correlationId" in pipeline Declare\.json/);
    assert.deepStrictEqual(action.edit.entries().map(([u]) => u.toString()), [pipeline.toString()], 'the edit is on the pipeline file');
    const pipelineBefore = new TextDecoder().decode(await vscode.workspace.fs.readFile(pipeline));
    assert.ok(await vscode.workspace.applyEdit(action.edit));
    // The pipeline is now an unsaved buffer; the config revalidates against it.
    await waitForDiagnostics(config, lacksCode('correlation-parameter-missing'), 'correlation-parameter-missing to go');
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === pipeline.toString());
    assert.ok(doc?.isDirty, 'the pipeline holds the unsaved declaration');
    const after = doc.getText();
    assert.deepStrictEqual(valueAt(after, ['properties', 'parameters', 'correlationId']), { type: 'string' });
    assert.deepStrictEqual(valueAt(after, ['properties', 'parameters', 'runDate']), valueAt(pipelineBefore, ['properties', 'parameters', 'runDate']));
    assert.ok(/\n {12}"correlationId": \{/.test(after), `indented like the rest of the pipeline (4 spaces):\n${after}`);
  });
});
